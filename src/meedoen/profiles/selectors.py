"""Reads: conversations, the latest profile, its history, completeness and counts per wijk.

Every function costs a fixed number of queries, however long a client's history is (tests hold
this with django_assert_num_queries). Functions that take a client id expect a client that came
through the door (caseload.access); `conversation_get_for_actor` is the door for one conversation.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, clients_visible_to
from meedoen.clients.models import BenefitPeriod, Client
from meedoen.profiles.constants import ZRM_DOMAINS, WorkPreferenceKind
from meedoen.profiles.inputs import (
    HelpNeedInput,
    ObstacleInput,
    ProfileInput,
    WorkExperienceInput,
)
from meedoen.profiles.measures import (
    PROFILE_PARTS,
    BigStep,
    Completeness,
    LadderPoint,
    ProfileChange,
    SnapshotValues,
    big_steps_forward,
    profile_change,
)
from meedoen.profiles.models import (
    Conversation,
    HelpNeed,
    Obstacle,
    ProfileSnapshot,
    WorkExperience,
    WorkPreference,
    ZrmAssessment,
)

PURPOSE = "casework"


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


# --- one conversation, one profile ---------------------------------------------------------------


def conversation_detail_queryset() -> QuerySet[Conversation]:
    """A conversation with its whole profile, in six queries."""
    return Conversation.objects.select_related("profile").prefetch_related(
        Prefetch("profile__zrm_scores", queryset=ZrmAssessment.objects.order_by("id")),
        Prefetch("profile__obstacles", queryset=Obstacle.objects.order_by("id")),
        Prefetch("profile__help_needs", queryset=HelpNeed.objects.order_by("id")),
        Prefetch(
            "profile__work_experience", queryset=WorkExperience.objects.order_by("position", "id")
        ),
        Prefetch(
            "profile__work_preferences",
            queryset=WorkPreference.objects.order_by("kind", "position", "id"),
        ),
    )


def client_get_for_profile(
    *,
    actor: Any,
    client_id: object,
    action: str,
    origin: Origin,
    audit_allowed: bool = True,
    purpose: str = PURPOSE,
) -> Client:
    """A client for the profile endpoints, through the door's rule (clients_visible_to).

    One audit row per request, named after what is done (`action`, e.g. "profiles.profile.read"):
    denied when the actor may not see the client (ClientNotVisible, a 404), allowed otherwise —
    unless `audit_allowed` is off because a service writes the row of the action itself.
    """
    pk = _as_uuid(client_id)
    client = (
        clients_visible_to(actor=actor).select_related("municipality").filter(pk=pk).first()
        if pk
        else None
    )
    if client is None or audit_allowed:
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=client,
            subject_id=client.pk if client else pk,
            purpose=purpose,
            result=Result.ALLOWED if client else Result.DENIED,
        )
    if client is None:
        raise ClientNotVisible
    return client


def conversation_get_for_actor(
    *,
    actor: Any,
    conversation_id: object,
    origin: Origin,
    purpose: str = PURPOSE,
    action: str = "profiles.conversation.read",
    audit_allowed: bool = True,
) -> Conversation:
    """One conversation with its profile, audited as a read ("profiles.conversation.read").

    A conversation of a client the actor may not see does not exist for them: ClientNotVisible
    (404), and the attempt is audited with that client's pseudonym, so "who tried to look at my
    file" stays answerable. For a correction, pass the update's `action` and `audit_allowed=False`:
    the service writes the allowed row.
    """
    pk = _as_uuid(conversation_id)
    conversation = (
        conversation_detail_queryset()
        .filter(pk=pk, client__in=clients_visible_to(actor=actor))
        .first()
        if pk
        else None
    )
    if conversation is None:
        client_id = (
            Conversation.objects.filter(pk=pk).values_list("client_id", flat=True).first()
            if pk
            else None
        )
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            subject_id=client_id,
            purpose=purpose,
            result=Result.DENIED,
        )
        raise ClientNotVisible
    if audit_allowed:
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=conversation,
            subject_id=conversation.client_id,
            purpose=purpose,
        )
    return conversation


def conversation_list(*, client_id: uuid.UUID | str) -> QuerySet[Conversation]:
    """A client's conversations, newest first, with the snapshot's summary (one query)."""
    return (
        Conversation.objects.filter(client_id=client_id)
        .select_related("profile")
        .order_by("-date", "-id")
    )


def conversation_is_first(*, conversation: Conversation) -> bool:
    """Whether this is the client's first conversation (by date, then the order recorded): the
    only one where a ZRM domain may be "unknown". One query."""
    earlier = Q(date__lt=conversation.date) | Q(date=conversation.date, id__lt=conversation.pk)
    return not (
        Conversation.objects.filter(client_id=conversation.client_id)
        .exclude(pk=conversation.pk)
        .filter(earlier)
        .exists()
    )


def profile_latest(*, client_id: uuid.UUID | str) -> Conversation | None:
    """The latest conversation of a client with its whole profile (six queries), or None.

    "Latest": the highest (date, id); ids are time-ordered, so of two conversations on one day
    the one recorded last.
    """
    return (
        conversation_detail_queryset().filter(client_id=client_id).order_by("-date", "-id").first()
    )


def profile_completeness_of(snapshot: ProfileSnapshot) -> Completeness:
    """The completeness stored with the snapshot (measures.profile_completeness, at write)."""
    filled = tuple(part for part in PROFILE_PARTS if part in snapshot.complete_parts)
    return Completeness(
        filled=filled, missing=tuple(part for part in PROFILE_PARTS if part not in filled)
    )


def zrm_scores_of(snapshot: ProfileSnapshot) -> dict[str, int | None]:
    """Domain -> score (None: unknown), in the ZRM's order; empty when not assessed."""
    scores = {row.domain: row.score for row in snapshot.zrm_scores.all()}
    return {domain: scores[domain] for domain in ZRM_DOMAINS if domain in scores}


def profile_input_for(snapshot: ProfileSnapshot) -> ProfileInput:
    """The snapshot as input again: to pre-fill the next conversation's form, or to correct it.

    Uses the prefetched rows of conversation_detail_queryset when present (else five queries).
    """
    preferences = list(snapshot.work_preferences.all())
    return ProfileInput(
        talents=snapshot.talents,
        skills=list(snapshot.skills),
        wishes=snapshot.wishes,
        ambition_short=snapshot.ambition_short,
        ambition_long=snapshot.ambition_long,
        obstacles=[
            ObstacleInput(
                category=o.category, severity=o.severity, addressed=o.addressed, note=o.note
            )
            for o in snapshot.obstacles.all()
        ],
        no_obstacles=snapshot.no_obstacles,
        help_needs=[
            HelpNeedInput(category=h.category, note=h.note) for h in snapshot.help_needs.all()
        ],
        zrm=zrm_scores_of(snapshot),
        ladder_current=snapshot.ladder_current,
        ladder_potential=snapshot.ladder_potential,
        work_readiness=snapshot.work_readiness,
        work_readiness_reason=snapshot.work_readiness_reason,
        education_level=snapshot.education_level,
        diplomas=list(snapshot.diplomas),
        work_experience=[
            WorkExperienceInput(
                isco_code=w.isco_code,
                description=w.description,
                years=w.years,
                last_year=w.last_year,
            )
            for w in snapshot.work_experience.all()
        ],
        preferred_occupations=[
            p.code for p in preferences if p.kind == WorkPreferenceKind.OCCUPATION
        ],
        preferred_sectors=[p.code for p in preferences if p.kind == WorkPreferenceKind.SECTOR],
        hours_per_week=snapshot.hours_per_week,
        travel_radius_km=snapshot.travel_radius_km,
        travel_means=list(snapshot.travel_means),
        driving_licences=list(snapshot.driving_licences),
        dutch_level=snapshot.dutch_level,
        other_languages=list(snapshot.other_languages),
        available_from=snapshot.available_from,
    )


# --- history ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryPoint:
    conversation_id: uuid.UUID
    date: dt.date
    place: str
    values: SnapshotValues
    zrm_complete: bool


@dataclass(frozen=True)
class ZrmPoint:
    date: dt.date
    score: int | None  # None: "unknown"
    conversation_id: uuid.UUID


@dataclass
class ProfileHistory:
    """A client's profile over time, oldest first: the data of the timeline charts and tables."""

    points: list[HistoryPoint] = field(default_factory=list)
    ladder: list[LadderPoint] = field(default_factory=list)
    zrm: dict[str, list[ZrmPoint]] = field(default_factory=dict)
    big_steps: list[BigStep] = field(default_factory=list)
    # The latest conversation against the one before it (None without any conversation).
    change: ProfileChange | None = None

    @property
    def latest(self) -> HistoryPoint | None:
        return self.points[-1] if self.points else None


def profile_history(*, client_id: uuid.UUID | str) -> ProfileHistory:
    """Ladder and ZRM per domain as ordered points, big steps forward and the latest change.

    Three queries whatever the number of conversations: the conversations with their snapshot's
    columns, the ZRM scores, and the obstacle categories.
    """
    rows = list(
        Conversation.objects.filter(client_id=client_id)
        .order_by("date", "id")
        .values_list(
            "id",
            "date",
            "place",
            "profile__id",
            "profile__ladder_current",
            "profile__ladder_potential",
            "profile__completeness",
            "profile__zrm_complete",
        )
    )
    history = ProfileHistory(zrm={domain: [] for domain in ZRM_DOMAINS})
    if not rows:
        return history
    snapshot_ids = [row[3] for row in rows]
    zrm: dict[object, dict[str, int | None]] = defaultdict(dict)
    for profile_id, domain, score in ZrmAssessment.objects.filter(
        profile_id__in=snapshot_ids
    ).values_list("profile_id", "domain", "score"):
        zrm[profile_id][domain] = score
    obstacles: dict[object, set[str]] = defaultdict(set)
    for profile_id, category in Obstacle.objects.filter(profile_id__in=snapshot_ids).values_list(
        "profile_id", "category"
    ):
        obstacles[profile_id].add(category)

    for (
        conversation_id,
        date,
        place,
        profile_id,
        current,
        potential,
        completeness,
        zrm_complete,
    ) in rows:
        values = SnapshotValues(
            date=date,
            ladder_current=current,
            ladder_potential=potential,
            zrm={d: zrm[profile_id][d] for d in ZRM_DOMAINS if d in zrm[profile_id]},
            obstacles=frozenset(obstacles[profile_id]),
            completeness=completeness or 0,
        )
        history.points.append(
            HistoryPoint(
                conversation_id=conversation_id,
                date=date,
                place=place,
                values=values,
                zrm_complete=bool(zrm_complete),
            )
        )
        if current is not None:
            history.ladder.append(
                LadderPoint(
                    date=date, current=current, potential=potential, conversation_id=conversation_id
                )
            )
        for domain, score in values.zrm.items():
            history.zrm[domain].append(
                ZrmPoint(date=date, score=score, conversation_id=conversation_id)
            )
    history.big_steps = big_steps_forward(history.ladder)
    previous = history.points[-2].values if len(history.points) > 1 else None
    history.change = profile_change(history.points[-1].values, previous)
    return history


# --- counts per wijk --------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictCounts:
    """One wijk: recipients, how many were spoken to, how many are "in kaart gebracht"."""

    district_code: str
    district_name: str
    clients: int
    spoken: int
    profiled: int

    @property
    def spoken_percent(self) -> int:
        return round(100 * self.spoken / self.clients) if self.clients else 0

    @property
    def profiled_percent(self) -> int:
        return round(100 * self.profiled / self.clients) if self.clients else 0


def _conversations_in(
    conversations: QuerySet[Conversation], *, since: dt.date | None, until: dt.date | None
) -> QuerySet[Conversation]:
    if since:
        conversations = conversations.filter(date__gte=since)
    if until:
        conversations = conversations.filter(date__lte=until)
    return conversations


# Both conditions are an uncorrelated IN, not a correlated EXISTS: the database collects the
# clients concerned once (PostgreSQL: a hashed subplan) and probes it per client, instead of an
# index lookup per client row. At 27,000 clients that also keeps the planner's cost estimate of
# the /in-kaart/ count below PostgreSQL's threshold for JIT inlining and optimisation, which
# alone took 1.7 s (docs/benchmarks.md, "Profile overviews at 27,000 clients").
def spoken_condition(*, since: dt.date | None = None, until: dt.date | None = None) -> Q:
    """ "Gesproken": at least one conversation recorded with the client (in the period)."""
    conversations = _conversations_in(Conversation.objects.order_by(), since=since, until=until)
    return Q(pk__in=conversations.values("client_id"))


def profiled_condition(*, since: dt.date | None = None, until: dt.date | None = None) -> Q:
    """ "In kaart gebracht": at least one conversation (in the period) whose profile was complete:
    all seven parts filled, including a ZRM assessment of all 13 domains (docs/profiles.md)."""
    conversations = _conversations_in(
        Conversation.objects.order_by().filter(profile__is_complete=True), since=since, until=until
    )
    return Q(pk__in=conversations.values("client_id"))


def profile_counts_by_district(
    *,
    clients: QuerySet[Client],
    since: dt.date | None = None,
    until: dt.date | None = None,
    recipients_only: bool = True,
) -> list[DistrictCounts]:
    """Per wijk of the client's current address: clients, spoken to, in kaart gebracht.

    `clients` is the population the caller may count: a team lead's clients through the door
    (clients_visible_to), or a municipality's for an aggregate view. `recipients_only` counts only
    clients with an open benefit period (the programme's target: people on bijstand), not their
    children. One query, ordered by wijk name; clients without a wijk come last as "".
    """
    population = clients
    if recipients_only:
        population = population.filter(
            Exists(BenefitPeriod.objects.filter(client_id=OuterRef("pk"), end_date__isnull=True))
        )
    rows = (
        population.order_by()
        .values("household__address__district_code", "household__address__district_name")
        .annotate(
            total=Count("pk"),
            spoken=Count("pk", filter=spoken_condition(since=since, until=until)),
            profiled=Count("pk", filter=profiled_condition(since=since, until=until)),
        )
    )
    result = [
        DistrictCounts(
            district_code=row["household__address__district_code"] or "",
            district_name=row["household__address__district_name"] or "",
            clients=row["total"],
            spoken=row["spoken"],
            profiled=row["profiled"],
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: (not r.district_name, r.district_name, r.district_code))


def profile_counts_total(rows: list[DistrictCounts]) -> DistrictCounts:
    return DistrictCounts(
        district_code="",
        district_name="",
        clients=sum(r.clients for r in rows),
        spoken=sum(r.spoken for r in rows),
        profiled=sum(r.profiled for r in rows),
    )


# --- the latest profile of many clients, for aggregates (meedoen.analytics) ---------------------


def _latest_snapshot_ids(clients: QuerySet[Client], *, zrm_complete: bool = False) -> QuerySet:
    """The snapshot ids of each client's latest conversation (with a complete ZRM, if asked).

    Set-based: the population's conversations for which no later one (by date, then id) exists.
    PostgreSQL runs that as one hash anti-join over the conversations and estimates its size
    well, so the joins after it are hash joins too. A correlated "latest per client" subquery
    instead ran once per client (twice on PostgreSQL), and a ROW_NUMBER() window was planned as
    a handful of rows, which made the obstacle query a chain of nested loops.
    """
    conversations = Conversation.objects.order_by()
    if zrm_complete:
        conversations = conversations.filter(profile__zrm_complete=True)
    later = conversations.filter(client_id=OuterRef("client_id")).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), id__gt=OuterRef("id"))
    )
    return (
        conversations.filter(client__in=clients.order_by().values("pk"))
        .filter(~Exists(later))
        .values("profile__id")
    )


def latest_obstacles(*, clients: QuerySet[Client]) -> QuerySet[Obstacle]:
    """Every obstacle in each client's latest profile: what stands in someone's way now, not
    what did years ago. For aggregates: the caller picks the columns it counts by (values_list
    over `profile__conversation__client__…`) and never shows a row.

    `clients` is a population the caller may count (caseload.access.analysis_population).
    """
    return Obstacle.objects.filter(profile_id__in=_latest_snapshot_ids(clients)).order_by()


def latest_complete_zrm(*, clients: QuerySet[Client]) -> QuerySet[ZrmAssessment]:
    """The 13 scores of each client's latest complete ZRM assessment (all domains scored): how
    clients are doing on each life domain as last measured. For aggregates, like above."""
    return ZrmAssessment.objects.filter(
        profile_id__in=_latest_snapshot_ids(clients, zrm_complete=True)
    ).order_by()
