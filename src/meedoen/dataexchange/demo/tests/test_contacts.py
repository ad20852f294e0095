"""Demo contact history: deterministic, plausible, consistent with the assignments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F, Min
from django.utils import timezone

from meedoen.accounts.constants import Role
from meedoen.accounts.models import Team, User
from meedoen.caseload.constants import Intensity
from meedoen.caseload.models import (
    Appointment,
    Assignment,
    CaseloadPolicy,
    CoachProfile,
    ContactMoment,
    ContactParticipant,
)
from meedoen.caseload.worklist import Moment, worklist_build
from meedoen.dataexchange.demo.caseloads import demo_caseloads_assign
from meedoen.dataexchange.demo.contacts import demo_contacts_create
from meedoen.dataexchange.demo.services import (
    demo_deliveries_generate,
    demo_deliveries_load,
    demo_municipality_get_or_create,
)

TODAY = dt.date(2026, 1, 15)


def _build(seed: int):
    municipality = demo_municipality_get_or_create(code="0518")
    deliveries = demo_deliveries_generate(
        clients=400, seed=seed, today=TODAY, municipality_code="0518"
    )
    demo_deliveries_load(municipality=municipality, deliveries=deliveries)
    demo_caseloads_assign(municipality=municipality, today=TODAY)
    return municipality, demo_contacts_create(municipality=municipality, seed=seed, today=TODAY)


def _fingerprint():
    contacts = sorted(
        ContactMoment.objects.values_list(
            "household__reference", "occurred_at", "kind", "summary", "duration_minutes"
        )
    )
    intensities = sorted(
        Assignment.objects.open().values_list("household__reference", "intensity", "start_date")
    )
    return contacts, intensities


@pytest.mark.django_db(transaction=True)
def test_same_seed_same_history():
    _build(seed=5)
    first = _fingerprint()
    for model in (ContactParticipant, Appointment, ContactMoment):
        model.objects.all().delete()
    Assignment.objects.all().delete()
    CoachProfile.objects.all().delete()
    # A second run over the same households gives the same history.
    municipality = demo_municipality_get_or_create(code="0518")
    demo_caseloads_assign(municipality=municipality, today=TODAY)
    demo_contacts_create(municipality=municipality, seed=5, today=TODAY)
    assert _fingerprint() == first


@pytest.mark.django_db
def test_history_is_plausible():
    municipality, stats = _build(seed=2)
    assert stats.households == Assignment.objects.open().count()
    assert stats.contacts == ContactMoment.objects.count()
    # About 37 contact moments per client (participants are clients of the household).
    per_household = stats.contacts / stats.households
    assert 30 < per_household < 150

    # Nothing before the assignment start, nothing in the future.
    assert not ContactMoment.objects.filter(
        household__assignments__end_date__isnull=True,
        occurred_at__date__lt=F("household__assignments__start_date"),
    ).exists()
    assert not ContactMoment.objects.filter(occurred_at__date__gt=TODAY).exists()
    # Corrections (~1%) point to an older row of the same household.
    corrections = ContactMoment.objects.filter(corrects__isnull=False)
    assert 0 < corrections.count() < 0.03 * stats.contacts
    assert not corrections.exclude(household_id=F("corrects__household_id")).exists()
    assert not corrections.exclude(correction_reason="").filter(correction_reason="").exists()
    # Participants are members of the household.
    assert not ContactParticipant.objects.exclude(
        client__household_id=F("contact__household_id")
    ).exists()

    intensities = dict(
        Assignment.objects.open()
        .values_list("intensity")
        .annotate(n=Min("pk"))
        .values_list("intensity", "intensity")
    )
    assert set(intensities) == set(Intensity.values)
    assert CaseloadPolicy.objects.filter(team__municipality=municipality).count() == (
        Team.objects.filter(municipality=municipality).count()
    )
    profiles = CoachProfile.objects.all()
    assert profiles.count() == User.objects.filter(role=Role.COACH).count()
    assert all("nl" in p.languages for p in profiles)
    assert 0.3 < Appointment.objects.values("household").distinct().count() / stats.households < 0.9

    # The missing-contact signal shows for a realistic share of households.
    total = missing = 0
    moment = Moment.current(timezone.make_aware(dt.datetime(2026, 1, 15, 12)))
    for team in Team.objects.filter(municipality=municipality):
        lead = User.objects.create_user(
            username=f"lead-{team.pk}", municipality=municipality, team=team, role=Role.TEAM_LEAD
        )
        counts = worklist_build(actor=lead, moment=moment).counts()
        total += counts["total"]
        missing += counts["geen_contact"]
    assert total == stats.households
    assert 0.05 <= missing / total <= 0.25
