"""The plan page with steps linked to enrolments and the agreement section
(web.views_plan, web.views_plan_agreement): the step form's enrolment select, the enrolment
shown on the plan, making, downloading and signing agreements; the door; query counts."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.clients.bsn import bsn_decrypt
from meedoen.instruments.constants import EnrolmentStatus
from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory
from meedoen.plans.constants import AgreementStatus
from meedoen.plans.inputs import GoalInput, StepInput
from meedoen.plans.models import Agreement, Step
from meedoen.plans.services import goal_add, plan_open, step_add
from meedoen.plans.services_agreement import agreement_create
from meedoen.plans.tests.factories import in_days

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


def url(name, *args):
    return reverse(f"web:{name}", args=args)


@pytest.fixture
def fatima(client_factory):
    return client_factory(first_names="Fatima", surname="Berg")


@pytest.fixture
def goal(coach, fatima):
    plan = plan_open(actor=coach, household=fatima.household, origin=ORIGIN)
    return goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(
            member_id=fatima.pk, domain="werk_opleiding", what="Werk", due_on=in_days(90)
        ),
        origin=ORIGIN,
    )


def linked_step(coach, goal, enrolment, description="Naar de training") -> Step:
    return step_add(
        actor=coach,
        goal=goal,
        data=StepInput(
            description=description,
            owner_kind="client",
            due_on=in_days(14),
            enrolment_id=enrolment.pk,
        ),
        origin=ORIGIN,
    )


# --- steps and enrolments ---------------------------------------------------------------------


def test_step_form_offers_the_members_open_enrolments_and_links_one(
    client, coach, municipality, fatima, goal, client_factory
):
    training = instrument_factory(municipality, name="Sollicitatietraining Noord")
    open_one = enrolment_factory(training, fatima)
    enrolment_factory(
        instrument_factory(municipality, name="Afgeronde cursus"),
        fatima,
        status=EnrolmentStatus.FINISHED,
    )
    enrolment_factory(instrument_factory(municipality, name="Van iemand anders"), client_factory())
    client.force_login(coach)
    page = client.get(url("plan_step_create", goal.pk)).content.decode()
    assert "Sollicitatietraining Noord (aangemeld)" in page
    assert "Afgeronde cursus" not in page
    assert "Van iemand anders" not in page
    response = client.post(
        url("plan_step_create", goal.pk),
        {
            "description": "Naar de eerste les",
            "owner_kind": "client",
            "due_on": in_days(7).isoformat(),
            "enrolment": str(open_one.pk),
        },
    )
    assert response.status_code == 303
    assert Step.objects.get().enrolment_id == open_one.pk


def test_the_plan_page_shows_the_instrument_status_and_waiting_place(
    client, coach, municipality, fatima, goal, client_factory
):
    training = instrument_factory(municipality, name="Sollicitatietraining Noord", capacity=1)
    enrolment_factory(training, client_factory(), status=EnrolmentStatus.STARTED)
    enrolment_factory(training, client_factory(), status=EnrolmentStatus.WAITING)
    mine = enrolment_factory(training, fatima, status=EnrolmentStatus.WAITING)
    linked_step(coach, goal, mine)
    client.force_login(coach)
    page = client.get(url("plan_detail", fatima.household_id)).content.decode()
    assert "Sollicitatietraining Noord" in page
    assert "op de wachtlijst" in page
    assert "nummer 2 op de wachtlijst" in page
    assert url("enrolment_detail", mine.pk) in page


def _page_queries(client, household_id) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("plan_detail", household_id)).status_code == 200
    return len(queries)


def test_plan_page_queries_do_not_grow_with_linked_enrolments_and_agreements(
    client, coach, municipality, client_factory
):
    def household_with(goals: int):
        member = client_factory()
        plan = plan_open(actor=coach, household=member.household, origin=ORIGIN)
        for n in range(goals):
            goal = goal_add(
                actor=coach,
                plan=plan,
                data=GoalInput(
                    member_id=member.pk, domain="financien", what=f"Doel {n}", due_on=in_days(60)
                ),
                origin=ORIGIN,
            )
            training = instrument_factory(municipality, capacity=1)
            enrolment_factory(training, client_factory(), status=EnrolmentStatus.STARTED)
            waiting = enrolment_factory(training, member, status=EnrolmentStatus.WAITING)
            linked_step(coach, goal, waiting, f"Stap {n}")
            agreement_create(
                actor=coach, plan=plan.__class__.objects.get(pk=plan.pk), origin=ORIGIN
            )
        return member.household_id

    small, big = household_with(1), household_with(15)
    client.force_login(coach)
    _page_queries(client, small)  # warm the session and translation caches
    assert _page_queries(client, small) == _page_queries(client, big)
    assert Agreement.objects.count() == 16


# --- the agreement ----------------------------------------------------------------------------


def test_make_an_agreement_list_it_and_make_it_again(client, coach, fatima, goal):
    client.force_login(coach)
    response = client.post(url("plan_agreement_create", fatima.household_id))
    assert response.status_code == 303
    assert response["Location"].endswith("#afspraken")
    page = client.get(response["Location"]).content.decode()
    assert "Afspraken nummer 1 zijn gemaakt." in page
    assert "Download afspraken 1 (pdf)" in page
    assert "Nog niet ondertekend" in page
    again = client.post(url("plan_agreement_create", fatima.household_id), follow=True)
    assert "waren al afspraken gemaakt: nummer 1" in again.content.decode()
    assert Agreement.objects.count() == 1


def test_an_agreement_of_a_plan_without_goals_is_a_400_in_dutch(client, coach, client_factory):
    lone = client_factory()
    plan_open(actor=coach, household=lone.household, origin=ORIGIN)
    client.force_login(coach)
    response = client.post(url("plan_agreement_create", lone.household_id))
    assert response.status_code == 400
    assert "Het plan heeft nog geen lopend doel" in response.content.decode()
    assert not Agreement.objects.exists()


def test_download_is_a_pdf_without_bsn_audited_as_a_read(client, coach, fatima, goal):
    agreement, _ = agreement_create(actor=coach, plan=goal.plan, origin=ORIGIN)
    client.force_login(coach)
    response = client.get(url("plan_agreement_pdf", agreement.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reference = fatima.household.reference
    assert response["Content-Disposition"] == (
        f'attachment; filename="afspraken-{reference}-1.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    bsn = bsn_decrypt(fatima.bsn_encrypted)
    assert bsn not in response["Content-Disposition"]
    read = AuditEvent.objects.get(action="plans.agreement.read")
    assert read.result == "allowed"
    assert read.detail["number"] == 1
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(  # noqa: S603
            [pdftotext, "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "Er zijn geen sancties aan verbonden." in text
        assert bsn not in text


def test_record_signed_on_paper_and_a_bad_date(client, coach, fatima, goal):
    agreement, _ = agreement_create(actor=coach, plan=goal.plan, origin=ORIGIN)
    client.force_login(coach)
    bad = client.post(url("plan_agreement_signed", agreement.pk), {"signed_on": "morgen"})
    assert bad.status_code == 400
    assert "Ondertekend op: vul een datum in als 31-12-2025." in bad.content.decode()
    ahead = client.post(
        url("plan_agreement_signed", agreement.pk),
        {"signed_on": in_days(1).isoformat()},
    )
    assert ahead.status_code == 400
    assert "Deze datum ligt in de toekomst." in ahead.content.decode()
    assert Agreement.objects.get().status == AgreementStatus.DRAFT
    today = timezone.localdate()
    done = client.post(url("plan_agreement_signed", agreement.pk), {"signed_on": today.isoformat()})
    assert done.status_code == 303
    saved = Agreement.objects.get()
    assert (saved.status, saved.signed_on) == (AgreementStatus.SIGNED_ON_PAPER, today)
    page = client.get(done["Location"]).content.decode()
    assert "Op papier ondertekend" in page


def test_another_team_gets_404_and_nothing_is_written(
    client, coach, other_team_coach, fatima, goal
):
    agreement, _ = agreement_create(actor=coach, plan=goal.plan, origin=ORIGIN)
    client.force_login(other_team_coach)
    assert client.post(url("plan_agreement_create", fatima.household_id)).status_code == 404
    assert client.get(url("plan_agreement_pdf", agreement.pk)).status_code == 404
    signed = client.post(
        url("plan_agreement_signed", agreement.pk),
        {"signed_on": timezone.localdate().isoformat()},
    )
    assert signed.status_code == 404
    assert Agreement.objects.get().status == AgreementStatus.DRAFT
    assert Agreement.objects.count() == 1
    assert AuditEvent.objects.filter(action="plans.agreement.read", result="denied").exists()
