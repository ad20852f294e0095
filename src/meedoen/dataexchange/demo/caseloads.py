"""Demo caseloads: every current household but ~2% (the queue) gets a contact person.

Households go to the team of their wijk (Centrum, Escamp, Laak), and within a team to generated
demo coaches (`demo-coach-<team>-NN`, no usable password) of about CASELOAD households each — the
caseload the programmes work with. The demo accounts of `demo_accounts` then take over one
generated coach's caseload, so `demo-klantregisseur` logs in to a caseload of about 50 households.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef

from meedoen.accounts.constants import Role
from meedoen.accounts.models import Municipality, Team, User
from meedoen.audit.services import Origin
from meedoen.caseload.constants import AssignmentReason
from meedoen.caseload.models import Appointment, Assignment, ContactMoment
from meedoen.caseload.services import assignments_bulk_create, caseload_transfer
from meedoen.clients.models import Client, Household

CASELOAD = 50
QUEUE_SHARE = 0.02
TEAM_BY_DISTRICT = {
    # Team Centrum: the old city and the coast.
    "WK051829": "Team Centrum",  # Schilderswijk
    "WK051830": "Team Centrum",  # Transvaalkwartier
    "WK051828": "Team Centrum",  # Centrum
    "WK051827": "Team Centrum",  # Stationsbuurt
    "WK051804": "Team Centrum",  # Scheveningen
    # Team Escamp: the south-west.
    "WK051836": "Team Escamp",  # Moerwijk
    "WK051833": "Team Escamp",  # Bouwlust en Vrederust
    "WK051834": "Team Escamp",  # Morgenstond
    "WK051832": "Team Escamp",  # Rustenburg en Oostbroek
    "WK051835": "Team Escamp",  # Leyenburg
    "WK051820": "Team Escamp",  # Loosduinen
}
DEFAULT_TEAM = "Team Laak"  # Laak, Mariahoeve, Regentesse, Valkenbos, Ypenburg and the rest
TEAMS = ("Team Centrum", "Team Escamp", "Team Laak")


def _generated_username(team: str, number: int) -> str:
    return f"demo-coach-{team.removeprefix('Team ').lower()}-{number:02d}"


@transaction.atomic
def demo_caseloads_assign(*, municipality: Municipality, today: dt.date) -> int:
    """Give every unassigned current household a demo coach; returns how many were assigned."""
    unassigned = (
        Household.objects.filter(municipality=municipality)
        .filter(Exists(Client.objects.filter(household_id=OuterRef("pk"))))
        .exclude(Exists(Assignment.objects.open().filter(household_id=OuterRef("pk"))))
        .select_related("address")
        .order_by("reference")
    )
    by_team: dict[str, list[Household]] = defaultdict(list)
    for household in unassigned:
        if _in_queue(household.reference):
            continue
        district = household.address.district_code if household.address else ""
        by_team[TEAM_BY_DISTRICT.get(district, DEFAULT_TEAM)].append(household)

    pairs: list[tuple[Household, User]] = []
    for team_name in TEAMS:
        households = by_team.get(team_name, [])
        if not households:
            continue
        team = Team.objects.get_or_create(municipality=municipality, name=team_name)[0]
        existing = User.objects.filter(
            username__startswith=_generated_username(team_name, 0)[:-2]
        ).count()
        coaches = []
        for number in range(existing + 1, existing + 1 + math.ceil(len(households) / CASELOAD)):
            coach = User(
                username=_generated_username(team_name, number),
                first_name="Demo",
                last_name=f"Klantregisseur {team_name.removeprefix('Team ')} {number}",
                municipality=municipality,
                team=team,
                role=Role.COACH,
            )
            coach.set_unusable_password()
            coaches.append(coach)
        User.objects.bulk_create(coaches)
        # Round robin keeps caseloads even and mixes the wijken of the team a little.
        pairs.extend((h, coaches[i % len(coaches)]) for i, h in enumerate(households))
    if not pairs:
        return 0
    return assignments_bulk_create(
        pairs=pairs,
        start_date=today,
        reason=AssignmentReason.FIRST,
        actor=None,
        origin=Origin(channel="command"),
    )


@transaction.atomic
def demo_caseloads_for_accounts(*, users: list[User], today: dt.date) -> dict[str, int]:
    """A demo coach account without a caseload takes over that of a generated coach of its team."""
    moved: dict[str, int] = {}
    for user in users:
        if user.role != Role.COACH or user.team is None:
            continue
        if Assignment.objects.open().filter(coach=user).exists():
            continue
        donor = (
            User.objects.filter(
                team=user.team,
                username__startswith=_generated_username(user.team.name, 0)[:-2],
                assignments__end_date__isnull=True,
            )
            .order_by("username")
            .first()
        )
        if donor is None:
            continue
        moved[user.username] = caseload_transfer(
            from_coach=donor,
            to_coach=user,
            start_date=today,
            reason=AssignmentReason.HANDOVER,
            actor=None,
            origin=Origin(channel="command"),
        )
        _inherit_history(donor=donor, user=user, today=today)
    return moved


def _in_queue(reference: str) -> bool:
    """About QUEUE_SHARE of households stay unassigned: the team leads' queue (part H4).
    A hash of the reference, so the same households wait whatever the seed or the run."""
    return zlib.crc32(reference.encode()) % round(1 / QUEUE_SHARE) == 0


def _inherit_history(*, donor: User, user: User, today: dt.date) -> None:
    """Demo only: the account becomes the contact person as of the donor's own start dates, with
    the donor's contacts and appointments, so the demo opens on a caseload with a history instead
    of fifty households "new" today (part H4)."""
    closed = Assignment.objects.filter(coach=donor, end_date=today)
    previous = {
        household_id: (start, intensity)
        for household_id, start, intensity in closed.values_list(
            "household_id", "start_date", "intensity"
        )
    }
    current = list(Assignment.objects.open().filter(coach=user, household_id__in=previous))
    closed.filter(household_id__in=[a.household_id for a in current]).delete()
    for assignment in current:
        assignment.start_date, assignment.intensity = previous[assignment.household_id]
    Assignment.objects.bulk_update(current, ["start_date", "intensity"])
    households = [a.household_id for a in current]
    ContactMoment.objects.filter(household_id__in=households, coach=donor).update(
        coach=user, coach_name=user.display_name
    )
    Appointment.objects.filter(household_id__in=households, coach=donor).update(coach=user)
    # The account took the donor's place entirely, history included: the empty generated coach
    # would otherwise top every suggestion with "0 of 50".
    User.objects.filter(pk=donor.pk).update(is_active=False)
