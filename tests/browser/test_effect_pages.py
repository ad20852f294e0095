"""An effect evaluation in a real browser: the analyst requests one, the worker runs it, the
report shows the estimate and the verdict. Every page passes axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from meedoen.analytics.tests.effect_world import effect_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def work_queue(monkeypatch):
    """Run the real database-backed worker once over the queue (`meedoen db_worker --batch`)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def test_request_and_read_an_effect_report(
    page, live_server, login_as, axe_check, analyst, municipality, work_queue
):
    effect_world(municipality, members=120)
    login_as(page, live_server, analyst)
    page.goto(f"{live_server.url}/analyse/effecten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Effectmetingen")
    axe_check(page)

    page.get_by_label("Instrument").select_option(label="Jobcoach Test")
    page.get_by_label("Uitkomst", exact=True).select_option(value="job_started_12m")
    page.get_by_label("Aantal herhalingen voor het betrouwbaarheidsinterval").fill("50")
    page.get_by_role("button", name="Effectmeting starten").click()
    expect(page).to_have_url(re.compile(r"/analyse/effecten/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Effectmeting: Jobcoach Test")
    expect(page.locator("progress")).to_have_count(1)
    axe_check(page)  # waiting for the worker, with its progress bar

    work_queue()
    page.reload()
    expect(page.get_by_role("table", name="Geschat effect met 95%-interval")).to_be_visible()
    expect(page.get_by_text("Oordeel over de betrouwbaarheid:")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Naïef verschil"))).to_be_visible()
    expect(page.get_by_role("img", name="Balans per kenmerk (love plot)")).to_be_visible()
    expect(page.locator("progress")).to_have_count(0)
    axe_check(page)

    page.goto(f"{live_server.url}/analyse/effecten/")
    expect(page.get_by_role("link", name="Jobcoach Test")).to_be_visible()
