"""The voluntary agreement (docs/plans.md "The agreement"): made from a plan version, numbered,
signed on paper or accepted online, audited; a real tagged PDF in plain Dutch without a BSN; in
the data-subject export as a list; and erasure."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from meedoen.accounts.models import User
from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.access import ClientNotVisible
from meedoen.clients.bsn import bsn_decrypt
from meedoen.clients.constants import HouseholdRole
from meedoen.clients.models import Client
from meedoen.core.testing import pdf_inflated
from meedoen.partners.models import Organisation
from meedoen.plans.agreement_pdf import agreement_filename, agreement_pdf
from meedoen.plans.constants import AgreementStatus
from meedoen.plans.inputs import GoalInput, StepInput
from meedoen.plans.models import Agreement, Plan
from meedoen.plans.selectors_agreement import agreement_get_for_actor
from meedoen.plans.services import goal_add, plan_open, step_add
from meedoen.plans.services_agreement import (
    agreement_accept,
    agreement_create,
    agreement_record_signed,
)
from meedoen.plans.tests.factories import in_days
from meedoen.privacy.subject_access import subject_access_export_json

ORIGIN = Origin(channel="test")
PDFTOTEXT = shutil.which("pdftotext")
VOLUNTARY = "Deze afspraken zijn vrijwillig. Er zijn geen sancties aan verbonden."
pytestmark = pytest.mark.django_db


def portal_user(client: Client):
    """A login with the client role for `client`. Built from the portal's models by name:
    plans sits below the portal and does not import it; the portal's door (registered from
    its ready()) then says which client the user is."""
    user = User.objects.create_user(
        username=f"portaal-{client.pk}",
        municipality_id=client.municipality_id,
        role="client",
    )
    apps.get_model("portal", "PortalAccount").objects.create(user=user, client=client)
    return user


@pytest.fixture
def family(coach, municipality, client_factory):
    main = client_factory(first_names="Fatima", surname="Berg", name_prefix="van den")
    partner = client_factory(
        household=main.household, role=HouseholdRole.PARTNER, first_names="Karim"
    )
    plan = plan_open(actor=coach, household=main.household, origin=ORIGIN)
    work = goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(
            member_id=main.pk,
            domain="werk_opleiding",
            what="Een baan van 16 uur in de zorg",
            due_on=in_days(120),
        ),
        origin=ORIGIN,
    )
    debts = Organisation.objects.create(
        municipality=municipality, name="Schuldhulp Noord", kind="debt_counselling"
    )
    for description, owner, organisation in (
        ("Cv maken en opsturen", "client", None),
        ("Contact leggen met zorgwerkgevers", "coach", None),
        ("Budgetplan opstellen", "partner", debts.pk),
    ):
        step_add(
            actor=coach,
            goal=work,
            data=StepInput(
                description=description,
                owner_kind=owner,
                due_on=in_days(21),
                organisation_id=organisation,
            ),
            origin=ORIGIN,
        )
    goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(
            member_id=partner.pk,
            domain="maatschappelijke_participatie",
            what="Taalcursus afmaken",
            due_on=in_days(90),
        ),
        origin=ORIGIN,
    )
    return main, partner, Plan.objects.get(pk=plan.pk)


def test_create_numbers_agreements_per_plan_version_and_returns_the_same_for_the_same(
    coach, family, client_factory
):
    main, _partner, plan = family
    first, made = agreement_create(actor=coach, plan=plan, origin=ORIGIN)
    assert made
    assert (first.number, first.plan_version) == (1, plan.version)
    assert first.status == AgreementStatus.DRAFT
    assert first.created_by_name
    again, made = agreement_create(actor=coach, plan=plan, origin=ORIGIN)
    assert not made
    assert again.pk == first.pk
    # The plan changes: the next agreement gets number 2 and the first one stays.
    goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(member_id=main.pk, domain="financien", what="Budget", due_on=in_days(30)),
        origin=ORIGIN,
    )
    second, made = agreement_create(actor=coach, plan=Plan.objects.get(pk=plan.pk), origin=ORIGIN)
    assert made
    assert second.number == 2
    assert second.plan_version == first.plan_version + 1
    assert Agreement.objects.count() == 2
    assert AuditEvent.objects.filter(action="plans.agreement.create").count() == 2
    # Making an agreement does not change the plan.
    assert Plan.objects.get(pk=plan.pk).version == second.plan_version


def test_a_plan_without_a_running_goal_has_nothing_to_agree_on(coach, client_factory):
    client = client_factory()
    plan = plan_open(actor=coach, household=client.household, origin=ORIGIN)
    with pytest.raises(ValidationError) as error:
        agreement_create(actor=coach, plan=plan, origin=ORIGIN)
    assert "doel" in error.value.message_dict["plan"][0]
    assert not Agreement.objects.exists()


def test_someone_who_may_not_see_the_household_makes_and_reads_nothing(
    coach, other_team_coach, family
):
    _main, _partner, plan = family
    with pytest.raises(ClientNotVisible):
        agreement_create(actor=other_team_coach, plan=plan, origin=ORIGIN)
    assert not Agreement.objects.exists()
    agreement, _ = agreement_create(actor=coach, plan=plan, origin=ORIGIN)
    with pytest.raises(ClientNotVisible):
        agreement_get_for_actor(actor=other_team_coach, agreement_id=agreement.pk, origin=ORIGIN)
    with pytest.raises(ClientNotVisible):
        agreement_record_signed(
            actor=other_team_coach,
            agreement=agreement,
            signed_on=timezone.localdate(),
            origin=ORIGIN,
        )
    assert Agreement.objects.get().status == AgreementStatus.DRAFT
    denied = AuditEvent.objects.filter(result=Result.DENIED).values_list("action", flat=True)
    assert sorted(denied) == [
        "plans.agreement.create",
        "plans.agreement.read",
        "plans.agreement.sign",
    ]


def test_record_signed_on_paper(coach, family):
    _main, _partner, plan = family
    agreement, _ = agreement_create(actor=coach, plan=plan, origin=ORIGIN)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        agreement_record_signed(
            actor=coach, agreement=agreement, signed_on=today + dt.timedelta(days=1), origin=ORIGIN
        )
    assert "toekomst" in error.value.message_dict["signed_on"][0]
    with pytest.raises(ValidationError) as error:
        agreement_record_signed(
            actor=coach, agreement=agreement, signed_on=today - dt.timedelta(days=1), origin=ORIGIN
        )
    assert "signed_on" in error.value.message_dict
    agreement_record_signed(actor=coach, agreement=agreement, signed_on=today, origin=ORIGIN)
    saved = Agreement.objects.get()
    assert (saved.status, saved.signed_on) == (AgreementStatus.SIGNED_ON_PAPER, today)
    assert saved.signed_recorded_by == coach
    event = AuditEvent.objects.get(action="plans.agreement.sign")
    assert event.detail["signed_on"] == today.isoformat()
    with pytest.raises(ValidationError) as error:
        agreement_record_signed(actor=coach, agreement=agreement, signed_on=today, origin=ORIGIN)
    assert "al ondertekend" in error.value.message_dict["status"][0]


def test_a_member_accepts_the_newest_agreement_online(coach, family, client_factory):
    main, partner, plan = family
    agreement, _ = agreement_create(actor=coach, plan=plan, origin=ORIGIN)
    stranger = portal_user(client_factory())
    with pytest.raises(ClientNotVisible):
        agreement_accept(actor=stranger, agreement=agreement, origin=ORIGIN)
    refused = AuditEvent.objects.get(action="plans.agreement.accept")
    assert refused.result == Result.DENIED
    # Staff are no portal users: the portal's door lets them not in.
    with pytest.raises(ClientNotVisible):
        agreement_accept(actor=coach, agreement=agreement, origin=ORIGIN)
    assert Agreement.objects.get().status == AgreementStatus.DRAFT
    agreement_accept(actor=portal_user(partner), agreement=agreement, origin=ORIGIN)
    saved = Agreement.objects.get()
    assert saved.status == AgreementStatus.ACCEPTED_IN_PORTAL
    assert saved.accepted_by_id == partner.pk
    assert saved.accepted_at is not None
    accepted = AuditEvent.objects.filter(action="plans.agreement.accept").latest("seq")
    assert accepted.result == Result.ALLOWED
    assert accepted.municipality_code == partner.municipality.code
    with pytest.raises(ValidationError):
        agreement_accept(actor=portal_user(main), agreement=agreement, origin=ORIGIN)


def test_an_older_agreement_cannot_be_accepted(coach, family):
    main, _partner, plan = family
    old, _ = agreement_create(actor=coach, plan=plan, origin=ORIGIN)
    goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(member_id=main.pk, domain="financien", what="Budget", due_on=in_days(30)),
        origin=ORIGIN,
    )
    agreement_create(actor=coach, plan=Plan.objects.get(pk=plan.pk), origin=ORIGIN)
    with pytest.raises(ValidationError) as error:
        agreement_accept(actor=portal_user(main), agreement=old, origin=ORIGIN)
    assert "nieuwere" in error.value.message_dict["agreement"][0]
    assert Agreement.objects.get(pk=old.pk).status == AgreementStatus.DRAFT


def test_the_pdf_is_tagged_dutch_and_says_it_is_voluntary(coach, family):
    main, partner, plan = family
    agreement, _ = agreement_create(actor=coach, plan=plan, origin=ORIGIN)
    agreement = agreement_get_for_actor(actor=coach, agreement_id=agreement.pk, origin=ORIGIN)
    pdf = agreement_pdf(agreement=agreement)
    assert pdf.startswith(b"%PDF")
    objects = pdf_inflated(pdf)
    assert b"/StructTreeRoot" in objects
    assert b"/MarkInfo" in objects
    assert b"/Lang (nl)" in objects or b"/Lang(nl)" in objects
    name = agreement_filename(agreement)
    assert name == f"afspraken-{plan.household.reference}-1.pdf"
    bsns = [bsn_decrypt(c.bsn_encrypted) for c in (main, partner)]
    for bsn in bsns:
        assert bsn not in name
        assert bsn.encode() not in objects
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: text extraction not checked")
    text = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert VOLUNTARY in flat
    assert "Participatiewet" in flat
    assert "beschikking" in flat
    assert "Een baan van 16 uur in de zorg" in flat
    assert "Taalcursus afmaken" in flat
    assert "Fatima van den Berg" in flat
    assert "Karim" in flat
    # What the client does, and what the coach and the partner organisation do, apart.
    client_part = flat.split("Wat u zelf doet", 1)[1].split("Wat de klantregisseur", 1)[0]
    assert "Cv maken en opsturen" in client_part
    assert "Budgetplan" not in client_part
    support = flat.split("Wat de klantregisseur en de gemeente doen", 1)[1]
    assert "Schuldhulp Noord: Budgetplan opstellen" in support
    assert "Klantregisseur: Contact leggen met zorgwerkgevers" in support
    assert "Wanneer kijken we samen terug?" in flat
    for bsn in bsns:
        assert bsn not in flat


def test_the_pdf_is_rendered_from_its_version_not_from_the_plan_now(coach, family):
    main, _partner, plan = family
    _agreement, _ = agreement_create(actor=coach, plan=plan, origin=ORIGIN)
    goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(
            member_id=main.pk, domain="financien", what="Later toegevoegd", due_on=in_days(30)
        ),
        origin=ORIGIN,
    )
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = agreement_pdf(agreement=Agreement.objects.select_related("plan__household").get())
    text = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Later toegevoegd" not in text
    assert "Een baan van 16 uur" in text


def test_export_lists_the_persons_agreements_without_the_document(coach, family, client_factory):
    main, _partner, plan = family
    agreement, _ = agreement_create(actor=coach, plan=plan, origin=ORIGIN)
    agreement_record_signed(
        actor=coach, agreement=agreement, signed_on=timezone.localdate(), origin=ORIGIN
    )
    export = json.loads(subject_access_export_json(client=main))
    (row,) = export["plan_agreements"]
    assert row["number"] == 1
    assert row["status"] == "Op papier ondertekend"
    assert row["signed_on"] == timezone.localdate().isoformat()
    assert "pdf" not in json.dumps(row).lower()
    # Someone with no goals in that version has no agreement.
    lodger = client_factory(household=main.household, role=HouseholdRole.OTHER)
    assert json.loads(subject_access_export_json(client=lodger))["plan_agreements"] == []


def test_erasing_a_member_keeps_the_agreement_without_them(coach, family):
    from meedoen.privacy.services import _client_erase

    _main, partner, plan = family
    agreement, _ = agreement_create(actor=coach, plan=plan, origin=ORIGIN)
    agreement_accept(actor=portal_user(partner), agreement=agreement, origin=ORIGIN)
    _client_erase(client=Client.objects.get(pk=partner.pk))
    saved = Agreement.objects.select_related("plan__household", "plan__municipality").get()
    assert saved.accepted_by_id is None
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-", "-"], input=agreement_pdf(agreement=saved), capture_output=True, check=True
    ).stdout.decode()
    assert "Taalcursus afmaken" not in text
    assert "Karim" not in text
    assert "Een baan van 16 uur" in text


def test_erasing_the_last_member_takes_the_agreements(coach, client_factory):
    from meedoen.privacy.services import _client_erase

    client = client_factory()
    plan = plan_open(actor=coach, household=client.household, origin=ORIGIN)
    goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(member_id=client.pk, domain="financien", what="Budget", due_on=in_days(9)),
        origin=ORIGIN,
    )
    agreement_create(actor=coach, plan=Plan.objects.get(pk=plan.pk), origin=ORIGIN)
    _client_erase(client=Client.objects.get(pk=client.pk))
    assert not Agreement.objects.exists()
