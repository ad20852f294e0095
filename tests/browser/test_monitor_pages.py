"""The programme monitor in a real browser: from the analysis page to the monitor, the filter and
the yearly target without JavaScript tricks, WCAG 2.1 AA (axe-core, 0 violations)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from meedoen.clients.constants import BenefitEndReason
from meedoen.clients.models import BenefitPeriod
from meedoen.outcomes.constants import OutcomeKind
from meedoen.outcomes.models import OutcomeEvent
from meedoen.profiles.models import Conversation, ProfileSnapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reached(client_factory):
    """Reached in March of the year before last: 24 in one wijk (12 found work), 3 in another."""
    year = dt.date.today().year - 2
    for n, (code, name) in enumerate(
        [("WK051829", "Schilderswijk")] * 24 + [("WK051838", "Laak")] * 3
    ):
        person = client_factory(district_code=code, district_name=name)
        conversation = Conversation.objects.create(
            municipality_id=person.municipality_id,
            client=person,
            date=dt.date(year, 3, 1 + n),
            place="kantoor",
            conducted_by_name="Klantregisseur (test)",
        )
        ProfileSnapshot.objects.create(conversation=conversation, ladder_current=2)
        if n < 12:
            OutcomeEvent.objects.create(
                municipality_id=person.municipality_id,
                client=person,
                kind=OutcomeKind.JOB_STARTED,
                occurred_on=dt.date(year, 6, 1),
                hours_per_week=24,
            )
            BenefitPeriod.objects.filter(client=person).update(
                end_date=dt.date(year + 1, 1, 15), end_reason=BenefitEndReason.WORK
            )


def test_monitor_page(page, live_server, analyst, reached, login_as, axe_check):
    login_as(page, live_server, analyst)
    page.goto(f"{live_server.url}/analyse/")
    page.get_by_role(
        "link", name="Programmamonitor: wat bereikten de cliënten die we spraken?"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmamonitor: weet wat werkt")
    # The default: the calendar year two years back, per wijk, 12 months.
    table = page.get_by_role("table", name="Indicatoren 12 maanden na de indexdatum, per Wijk")
    expect(table.get_by_role("row").filter(has_text="Laak")).to_contain_text("< 10")
    # Laak's small count would follow from Schilderswijk's and the total: that one is hidden too.
    expect(table.get_by_role("row").filter(has_text="Schilderswijk")).not_to_contain_text("24")
    expect(table.get_by_role("row").filter(has_text="Alle bereikte")).to_contain_text("12 van 27")
    expect(
        page.get_by_role("img", name="Indicatoren binnen 12 maanden, naast de praktijkcijfers")
    ).to_be_visible()
    axe_check(page)

    # Another breakdown and horizon, through the plain GET form.
    page.get_by_label("Indeling", exact=True).select_option("totaal")
    page.get_by_label("Termijn na de indexdatum", exact=True).select_option("6")
    page.get_by_role("button", name="Tonen").click()
    summary = page.get_by_role("table", name="6 maanden na de indexdatum, alle cliënten samen")
    expect(summary.get_by_role("row").filter(has_text="Betaald werk")).to_contain_text("44%")

    # The yearly target: a Dutch message for a bad value, then saved.
    last_year = str(dt.date.today().year - 1)
    page.get_by_label("Jaar", exact=True).fill(last_year)
    page.get_by_label("Doel: aantal naar werk uit de bijstand").fill("-5")
    page.get_by_role("button", name="Doel opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Doel: vul een aantal in van 0 tot 1.000.000."
    )
    axe_check(page)
    page.get_by_label("Jaar", exact=True).fill(last_year)
    page.get_by_label("Doel: aantal naar werk uit de bijstand").fill("20")
    page.get_by_role("button", name="Doel opslaan").click()
    expect(page.get_by_text(f"Het doel voor {last_year} is opgeslagen")).to_be_visible()
    to_work = page.get_by_role("table", name="Naar werk uit de bijstand, per jaar, naast het doel")
    row = to_work.get_by_role("row").filter(has_text=last_year)
    expect(row).to_contain_text("12")
    expect(row).to_contain_text("-8")
    expect(row.get_by_role("progressbar")).to_have_attribute("value", "12")
    axe_check(page)
