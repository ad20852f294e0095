"""Which coach for this household: a ranked list with the reasons, for the team lead to confirm.

The score (docs/caseload.md, "Suggesties") adds up four facts about a coach, each derived from
data the system already has — nobody types anything in for it:

- headroom: SCORE_HEADROOM * (1 - weighted load / target), floored at -SCORE_HEADROOM, so an
  empty caseload gives the full points and an overloaded one costs points;
- same wijk: SCORE_SAME_WIJK * min(open households of the coach in the household's wijk, 10) / 10;
- language: SCORE_LANGUAGE when the coach speaks a language of a household member other than
  Dutch (everyone speaks Dutch: it tells coaches apart only for other languages);
- history: SCORE_HISTORY when the coach was contact person of this household before, or had
  a contact moment with it;
- a coach of another team of the municipality gets SCORE_OTHER_TEAM (negative).

Ties go to the lower load percentage, then the name. Coaches who do not accept new households
(CoachProfile.accepts_new) are left out. Fixed number of queries whatever the number of coaches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.caseload.constants import DEFAULT_CASELOAD_TARGET, INTENSITY_WEIGHTS
from meedoen.caseload.models import Assignment, CaseloadPolicy, ContactMoment
from meedoen.caseload.workload import OPEN, coach_load, load_annotations, percent
from meedoen.clients.models import Client, Household
from meedoen.core.iso import language_name

SCORE_HEADROOM = 40
SCORE_SAME_WIJK = 20
SAME_WIJK_FULL = 10
SCORE_LANGUAGE = 15
SCORE_HISTORY = 25
SCORE_OTHER_TEAM = -30
# Dutch is the working language of every coach: sharing it says nothing.
COMMON_LANGUAGES = frozenset({"nl", "nld", "dut"})


def _number(value: Decimal) -> str:
    """31 or 31,5: loads are in half households."""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


@dataclass
class Facts:
    """What the score of one coach for one household is made of."""

    load: Decimal
    target: Decimal
    same_wijk: int = 0
    wijk_name: str = ""
    languages: list[str] = field(default_factory=list)
    earlier_from: dt.date | None = None
    earlier_to: dt.date | None = None
    last_contact: dt.date | None = None
    other_team: bool = False

    @property
    def headroom(self) -> float:
        if not self.target:
            return -1.0
        return max(-1.0, 1.0 - float(self.load / self.target))

    @property
    def score(self) -> float:
        points = SCORE_HEADROOM * self.headroom
        points += SCORE_SAME_WIJK * min(self.same_wijk, SAME_WIJK_FULL) / SAME_WIJK_FULL
        if self.languages:
            points += SCORE_LANGUAGE
        if self.earlier_from is not None or self.last_contact is not None:
            points += SCORE_HISTORY
        if self.other_team:
            points += SCORE_OTHER_TEAM
        return round(points, 1)

    def reasons(self) -> list[str]:
        found = [
            _("caseload %(load)s van %(target)s (%(percent)s%%)")
            % {
                "load": _number(self.load),
                "target": _number(self.target),
                "percent": percent(self.load, self.target),
            }
        ]
        if self.same_wijk and self.wijk_name:
            found.append(
                _("werkt al met %(count)s huishoudens in %(wijk)s")
                % {"count": self.same_wijk, "wijk": self.wijk_name}
                if self.same_wijk != 1
                else _("werkt al met 1 huishouden in %(wijk)s") % {"wijk": self.wijk_name}
            )
        if self.languages:
            found.append(
                _("spreekt %(languages)s")
                % {"languages": ", ".join(language_name(code) for code in self.languages)}
            )
        if self.earlier_from is not None:
            first = self.earlier_from.year
            last = self.earlier_to.year if self.earlier_to else first
            years = str(first) if first == last else f"{first}\N{EN DASH}{last}"
            found.append(_("was eerder contactpersoon (%(years)s)") % {"years": years})
        if self.last_contact is not None:
            found.append(
                _("had contact op %(date)s") % {"date": self.last_contact.strftime("%d-%m-%Y")}
            )
        if self.other_team:
            found.append(_("werkt in een ander team"))
        return found


@dataclass
class Suggestion:
    coach: User
    score: float
    reasons: list[str]
    facts: Facts


def shared_languages(
    household_languages: Iterable[str], coach_languages: Iterable[str]
) -> list[str]:
    spoken = {code for code in coach_languages or ()}
    found: list[str] = []
    for code in household_languages:
        if code in spoken and code not in COMMON_LANGUAGES and code not in found:
            found.append(code)
    return found


def _household_languages(household_ids: Sequence[Any]) -> dict[object, list[str]]:
    found: dict[object, list[str]] = {}
    rows = Client.objects.filter(household_id__in=household_ids).values_list(
        "household_id", "languages"
    )
    for household_id, languages in rows:
        bucket = found.setdefault(household_id, [])
        for code in languages or []:
            if code not in bucket:
                bucket.append(code)
    return found


def _policies(municipality_id: Any) -> dict[Any, int]:
    return dict(
        CaseloadPolicy.objects.filter(team__municipality_id=municipality_id).values_list(
            "team_id", "caseload_target"
        )
    )


def _profile_languages(user: User) -> list[str]:
    try:
        return list(user.coach_profile.languages or [])
    except User.coach_profile.RelatedObjectDoesNotExist:
        return []


def coach_suggestions(
    *, household: Household, actor: Any, limit: int = 5, other_teams: bool = True
) -> list[Suggestion]:
    """Ranked coaches for `household` (which the caller got through the door) among the active
    coaches of the actor's team (and, lower, of the municipality's other teams). Five queries."""
    team_id = getattr(actor, "team_id", None)
    address = (
        Household.objects.filter(pk=household.pk)
        .values_list("address__district_code", "address__district_name")
        .first()
    ) or ("", "")
    district_code, district_name = address
    current = Assignment.objects.open().filter(household_id=household.pk).values("coach_id")
    same_wijk: Any = (
        Count(
            "assignments",
            filter=OPEN & Q(assignments__household__address__district_code=district_code),
        )
        if district_code
        else Value(0, output_field=IntegerField())
    )
    this_household = Q(assignments__household_id=household.pk)
    last_contact = (
        ContactMoment.objects.filter(household_id=household.pk, coach_id=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    candidates = (
        User.objects.filter(
            municipality_id=household.municipality_id,
            is_active=True,
            role=Role.COACH,
            team__isnull=False,
        )
        .exclude(pk__in=current)
        .exclude(coach_profile__accepts_new=False)
        .select_related("coach_profile", "team")
        .annotate(
            **load_annotations(),
            same_wijk=same_wijk,
            earlier_from=Min("assignments__start_date", filter=this_household),
            earlier_to=Max("assignments__end_date", filter=this_household),
            last_contact=Subquery(last_contact),
        )
    )
    if team_id is None:
        candidates = candidates.none()
    elif not other_teams:
        candidates = candidates.filter(team_id=team_id)
    policies = _policies(household.municipality_id)
    languages = _household_languages([household.pk]).get(household.pk, [])
    suggestions = []
    for user in candidates:
        load = coach_load(user, policies.get(user.team_id, DEFAULT_CASELOAD_TARGET))
        contact = user.last_contact  # type: ignore[attr-defined]
        if isinstance(contact, dt.datetime):
            contact = timezone.localdate(contact) if timezone.is_aware(contact) else contact.date()
        facts = Facts(
            load=load.load,
            target=load.target,
            same_wijk=user.same_wijk,  # type: ignore[attr-defined]
            wijk_name=district_name or "",
            languages=shared_languages(languages, _profile_languages(user)),
            earlier_from=user.earlier_from,  # type: ignore[attr-defined]
            earlier_to=user.earlier_to,  # type: ignore[attr-defined]
            last_contact=contact,
            other_team=user.team_id != team_id,
        )
        suggestions.append(
            Suggestion(coach=user, score=facts.score, reasons=facts.reasons(), facts=facts)
        )
    suggestions.sort(
        key=lambda s: (
            -s.score,
            percent(s.facts.load, s.facts.target),
            s.coach.last_name,
            s.coach.pk,
        )
    )
    return suggestions[:limit]


# Redistribution when a coach leaves -----------------------------------------------------------


@dataclass
class PlanRow:
    assignment: Assignment
    to_coach: User | None
    reasons: list[str]

    @property
    def household(self) -> Household:
        return self.assignment.household


def _weight(intensity: str) -> Decimal:
    return Decimal(str(INTENSITY_WEIGHTS.get(intensity, 1.0)))  # type: ignore[call-overload]


def redistribution_preview(*, from_coach: User) -> list[PlanRow]:
    """A proposal for the whole caseload of `from_coach` among the other coaches of their team:
    the suggestion score applied greedily, heaviest households first, a coach's load updated after
    each pick. A coach whose target would be exceeded is only chosen when nobody has room.
    Households nobody can take (no other coach) get no proposal. Seven queries."""
    team_id: Any = from_coach.team_id
    assignments = list(
        Assignment.objects.open()
        .filter(coach_id=from_coach.pk)
        .select_related("household__address")
        .order_by("household__reference")
    )
    members = list(
        User.objects.filter(team_id=team_id, is_active=True, role=Role.COACH)
        .exclude(pk=from_coach.pk)
        .exclude(coach_profile__accepts_new=False)
        .select_related("coach_profile")
        .annotate(**load_annotations())
        .order_by("last_name", "first_name", "pk")
    )
    if from_coach.team_id is None:
        members = []
    policy = CaseloadPolicy.objects.filter(team_id=team_id).first()
    target = policy.caseload_target if policy else DEFAULT_CASELOAD_TARGET
    loads = {user.pk: coach_load(user, target) for user in members}
    ids = [user.pk for user in members]
    wijk_counts: dict[tuple[object, str], int] = {}
    for row in (
        Assignment.objects.open()
        .filter(coach_id__in=ids)
        .values("coach_id", "household__address__district_code")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        wijk_counts[row["coach_id"], row["household__address__district_code"] or ""] = row["n"]
    household_ids = [a.household_id for a in assignments]
    languages = _household_languages(household_ids)
    history: set[tuple[object, object]] = set(
        Assignment.objects.filter(household_id__in=household_ids, coach_id__in=ids)
        .values_list("household_id", "coach_id")
        .distinct()
    )
    history |= set(
        ContactMoment.objects.filter(household_id__in=household_ids, coach_id__in=ids)
        .values_list("household_id", "coach_id")
        .distinct()
    )
    projected = {pk: load.load for pk, load in loads.items()}
    plan = []
    for assignment in sorted(assignments, key=lambda a: -_weight(a.intensity)):
        weight = _weight(assignment.intensity)
        address = assignment.household.address
        district = address.district_code if address else ""
        wijk_name = address.district_name if address else ""
        options = []
        for user in members:
            facts = Facts(
                load=projected[user.pk],
                target=loads[user.pk].target,
                same_wijk=wijk_counts.get((user.pk, district), 0) if district else 0,
                wijk_name=wijk_name,
                languages=shared_languages(
                    languages.get(assignment.household_id, []), _profile_languages(user)
                ),
                earlier_from=None,
                last_contact=None,
            )
            fits = projected[user.pk] + weight <= loads[user.pk].target
            knows = (assignment.household_id, user.pk) in history
            score = facts.score + (SCORE_HISTORY if knows else 0)
            reasons = facts.reasons()
            if knows:
                reasons.append(_("kent dit huishouden al"))
            options.append((fits, score, -percent(projected[user.pk], facts.target), user, reasons))
        if not options:
            plan.append(PlanRow(assignment=assignment, to_coach=None, reasons=[]))
            continue
        fits, _score, _pct, chosen, reasons = max(options, key=lambda o: (o[0], o[1], o[2]))
        if not fits:
            reasons.append(_("boven de streefwaarde: niemand heeft nog ruimte"))
        projected[chosen.pk] += weight
        if district:
            wijk_counts[chosen.pk, district] = wijk_counts.get((chosen.pk, district), 0) + 1
        plan.append(PlanRow(assignment=assignment, to_coach=chosen, reasons=reasons))
    plan.sort(key=lambda row: row.household.reference)
    return plan
