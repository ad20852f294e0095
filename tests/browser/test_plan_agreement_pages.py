"""The plan page with a step linked to an enrolment and the agreement section, in a real browser:
the coach sees the instrument and the waiting place on the step, makes the agreement, downloads
the PDF and records that it was signed on paper (first without a date). Every page passes
axe-core with 0 violations, and the journey works without JavaScript."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meedoen.audit.services import Origin
from meedoen.instruments.constants import EnrolmentStatus
from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory
from meedoen.plans.constants import AgreementStatus
from meedoen.plans.inputs import GoalInput, StepInput
from meedoen.plans.models import Agreement
from meedoen.plans.services import goal_add, plan_open, step_add
from meedoen.plans.tests.factories import in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ORIGIN = Origin(channel="test")


@pytest.fixture
def household_id(coach, municipality, client_factory):
    fatima = client_factory(surname="Berg", name_prefix="van den", first_names="Fatima")
    plan = plan_open(actor=coach, household=fatima.household, origin=ORIGIN)
    goal = goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(
            member_id=fatima.pk,
            domain="werk_opleiding",
            what="Een baan van 16 uur in de zorg",
            due_on=in_days(90),
        ),
        origin=ORIGIN,
    )
    training = instrument_factory(municipality, name="Sollicitatietraining Noord", capacity=1)
    enrolment_factory(training, client_factory(), status=EnrolmentStatus.STARTED)
    waiting = enrolment_factory(training, fatima, status=EnrolmentStatus.WAITING)
    step_add(
        actor=coach,
        goal=goal,
        data=StepInput(
            description="Naar de intake van de training",
            owner_kind="client",
            due_on=in_days(14),
            enrolment_id=waiting.pk,
        ),
        origin=ORIGIN,
    )
    return fatima.household_id


def _journey(page, live_server, household_id, axe_check=None) -> None:
    check = axe_check or (lambda page: None)
    plan_url = f"{live_server.url}/huishoudens/{household_id}/plan/"
    page.goto(plan_url)
    main = page.locator("#main")
    expect(main).to_contain_text("Sollicitatietraining Noord")
    expect(main).to_contain_text("nummer 1 op de wachtlijst")
    expect(main).to_contain_text("Er zijn nog geen afspraken gemaakt.")
    check(page)

    page.get_by_role("button", name="Afspraken maken van dit plan").click()
    page.wait_for_url(f"{plan_url}#afspraken")
    expect(main).to_contain_text("Afspraken nummer 1 zijn gemaakt.")
    expect(main).to_contain_text("Nog niet ondertekend")
    check(page)

    link = page.get_by_role("link", name="Download afspraken 1 (pdf)")
    download = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")

    # A signature without a date is refused with a Dutch message, then recorded.
    page.get_by_label("Afspraken 1 ondertekend op").fill("")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("Ondertekend op: vul een datum in.")
    check(page)
    page.get_by_label("Afspraken 1 ondertekend op").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Vastleggen").click()
    page.wait_for_url(f"{plan_url}#afspraken")
    expect(main).to_contain_text("zijn op papier ondertekend")
    expect(main).to_contain_text("Op papier ondertekend")
    check(page)
    assert Agreement.objects.get().status == AgreementStatus.SIGNED_ON_PAPER


def test_agreement_journey(page, live_server, coach, household_id, login_as, axe_check):
    login_as(page, live_server, coach)
    _journey(page, live_server, household_id, axe_check)


def test_agreement_journey_without_javascript(
    no_js_page, live_server, coach, household_id, login_as
):
    login_as(no_js_page, live_server, coach)
    _journey(no_js_page, live_server, household_id)
