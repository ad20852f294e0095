"""The client portal in a real browser: a client logs in at /mijn/inloggen/, sees their plan,
their contact person and next steps, ticks off their own step, adds a step of their own (first
with an error) and a goal. Every page passes axe-core (WCAG 2.1 AA) with 0 violations, at a
phone's width, and the journey works without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meedoen.plans.constants import StepStatus
from meedoen.plans.models import Goal, Step
from meedoen.portal.tests.conftest import make_plan
from meedoen.portal.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(coach, client_factory, client_user):
    coach.first_name, coach.last_name = "Karin", "de Regisseur"
    coach.save(update_fields=["first_name", "last_name"])
    client = client_user.portal_account.client
    client.first_names = "Fatima"
    client.save(update_fields=["first_names"])
    partner = client_factory(household=client.household, first_names="Partner")
    return make_plan(coach=coach, client=client, partner=partner, user=client_user)


def _journey(page, live_server, world, check=None) -> None:
    check = check or (lambda page: None)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/mijn/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Mijn plan")
    check(page)
    page.get_by_label("Gebruikersnaam").fill("client")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Fatima")
    expect(page.locator("#klantregisseur")).to_have_text("Karin de Regisseur")
    expect(page.locator("#main")).to_contain_text("Eigen-doel-4401")
    expect(page.locator("#main")).not_to_contain_text("Partner-doel-4404")
    check(page)

    # Tick off their own step (the coach's step has no button).
    own = page.locator(f"#stap-{world.own_step.pk}")
    own.get_by_role("button", name="Klaar").click()
    expect(page.locator("#main")).to_contain_text("Goed gedaan! De stap is afgevinkt.")
    expect(page.locator(f"#stap-{world.own_step.pk}")).to_contain_text("Klaar:")
    expect(page.locator(f"#stap-{world.coach_step.pk}").get_by_role("button")).to_have_count(0)
    check(page)

    # A step of their own: first without a text.
    page.get_by_role("link", name="Zelf een stap toevoegen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zelf een stap toevoegen")
    check(page)
    page.get_by_label("Wanneer is het klaar?").fill(
        (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    )
    page.get_by_role("button", name="Stap opslaan").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("Schrijf op wat u gaat doen.")
    check(page)
    page.get_by_label("Wat gaat u doen?").fill("Proefles bij de sportschool")
    page.get_by_role("button", name="Stap opslaan").click()
    expect(page.locator("#main")).to_contain_text("Uw stap staat in uw plan.")
    expect(page.locator("#main")).to_contain_text("Proefles bij de sportschool")
    check(page)

    # A goal of their own.
    page.get_by_role("link", name="Zelf een doel toevoegen").click()
    check(page)
    page.get_by_label("Waar gaat uw doel over?").select_option("financien")
    page.get_by_label("Wat wilt u bereiken?").fill("Mijn post elke week openen")
    page.get_by_label("Wanneer wilt u dit bereikt hebben?").fill(
        (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Doel opslaan").click()
    expect(page.locator("#main")).to_contain_text("Uw doel staat in uw plan.")
    expect(page.locator("#main")).to_contain_text("Mijn post elke week openen")
    check(page)

    assert Step.objects.get(pk=world.own_step.pk).status == StepStatus.DONE
    assert Step.objects.get(description="Proefles bij de sportschool").author_kind == "client"
    assert Goal.objects.get(what="Mijn post elke week openen").member_id == world.client.pk


def test_portal_journey(page, live_server, world, axe_check):
    _journey(page, live_server, world, axe_check)


def test_portal_journey_without_javascript(no_js_page, live_server, world):
    _journey(no_js_page, live_server, world)
