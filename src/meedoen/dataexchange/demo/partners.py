"""Demo partner organisations: a registry for the demo city, and who is involved with whom.

Fictional organisations (every name ends in "(demo)") with one to three fictional people each, a
wijkteam per wijk of the city, and involvements for about 30% of the households, following the
obstacles of their members' latest conversation (debts → schuldhulp, mental health → GGZ, …).
Some members consented to sharing with that organisation. Bulk inserts in a fixed number of
queries; deterministic with the seed. Run once, after the conversations; a second run adds
nothing (the registry exists already).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from meedoen.accounts.models import Municipality
from meedoen.audit.services import Origin, audit_record
from meedoen.clients.models import Address, Client
from meedoen.partners.constants import InvolvementTopic, OrganisationKind
from meedoen.partners.models import Involvement, Organisation, PartnerPerson
from meedoen.privacy.constants import ConsentChannel, ConsentPurpose, DataCategory
from meedoen.privacy.models import Consent
from meedoen.profiles.constants import ObstacleCategory
from meedoen.profiles.models import Conversation, Obstacle

INVOLVED_SHARE = 0.30  # of all households; those with a matching obstacle go first
CONSENT_SHARE = 0.6  # of involved members: consented to sharing with that organisation

# (name, kind, code, people)
REGISTRY = [
    ("Schuldhulp Haaglanden (demo)", OrganisationKind.DEBT_COUNSELLING, "SHH", 3),
    ("GGZ Kust (demo)", OrganisationKind.MENTAL_HEALTH, "GGZK", 2),
    ("Woonstede Haaglanden (demo)", OrganisationKind.HOUSING_CORPORATION, "WSH", 2),
    ("Hofstad Wonen (demo)", OrganisationKind.HOUSING_CORPORATION, "HFW", 1),
    ("UWV Den Haag (demo)", OrganisationKind.UWV, "UWV", 2),
    ("Werkfit Re-integratie (demo)", OrganisationKind.REINTEGRATION, "WFR", 2),
    ("Taalhuis Haagse Taal (demo)", OrganisationKind.EDUCATION, "THT", 1),
    ("Verslavingszorg Duin (demo)", OrganisationKind.ADDICTION_CARE, "VZD", 1),
]
WIJKTEAM = "Wijkteam {name} (demo)"
FIRST = ["Sanne", "Mohamed", "Anouk", "Yusuf", "Lotte", "Priya", "Daan", "Fatma", "Ruben", "Iris"]
LAST = ["de Wit", "El Amrani", "Visser", "Kaya", "Bakker", "Ramdin", "Smit", "Yilmaz", "Jansen"]

# Obstacle → (kind of organisation, topic, categories consented).
BY_OBSTACLE: dict[str, tuple[str, str, list[str]]] = {
    ObstacleCategory.DEBTS: (
        OrganisationKind.DEBT_COUNSELLING,
        InvolvementTopic.DEBTS,
        [DataCategory.CONTACT, DataCategory.HOUSEHOLD, DataCategory.DEBTS],
    ),
    ObstacleCategory.MENTAL_HEALTH: (
        OrganisationKind.MENTAL_HEALTH,
        InvolvementTopic.MENTAL_HEALTH,
        [DataCategory.CONTACT, DataCategory.HEALTH],
    ),
    ObstacleCategory.HOUSING: (
        OrganisationKind.HOUSING_CORPORATION,
        InvolvementTopic.HOUSING,
        [DataCategory.CONTACT, DataCategory.HOUSEHOLD],
    ),
    ObstacleCategory.LANGUAGE: (
        OrganisationKind.EDUCATION,
        InvolvementTopic.EDUCATION,
        [DataCategory.CONTACT, DataCategory.PROFILE],
    ),
    ObstacleCategory.ADDICTION: (
        OrganisationKind.ADDICTION_CARE,
        InvolvementTopic.ADDICTION,
        [DataCategory.CONTACT, DataCategory.HEALTH],
    ),
}


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


@transaction.atomic
def demo_partners_create(
    *, municipality: Municipality, seed: int, today: dt.date
) -> dict[str, int]:
    """The registry, involvements and consents; counts per kind of row ({} when already there)."""
    if Organisation.objects.filter(municipality=municipality).exists():
        return {}
    rng = random.Random(f"partners:{seed}")  # noqa: S311 - demo data, reproducible
    districts = sorted(
        set(
            Address.objects.filter(municipality=municipality)
            .exclude(district_name="")
            .values_list("district_code", "district_name")
        )
    )
    organisations = [
        Organisation(
            municipality=municipality, name=name, kind=kind, code=code, phone="070 000 00 00"
        )
        for name, kind, code, _people in REGISTRY
    ]
    wijkteams = {
        code: Organisation(
            municipality=municipality,
            name=WIJKTEAM.format(name=name),
            kind=OrganisationKind.DISTRICT_TEAM,
            code=f"WT{code[-2:]}",
        )
        for code, name in districts
    }
    Organisation.objects.bulk_create([*organisations, *wijkteams.values()])
    people_count = {name: n for name, _k, _c, n in REGISTRY}
    people = [
        PartnerPerson(organisation=o, name=_person_name(rng), job_title="Consulent")
        for o in [*organisations, *wijkteams.values()]
        for _ in range(people_count.get(o.name, 1))
    ]
    PartnerPerson.objects.bulk_create(people)
    person_of: dict[object, list[PartnerPerson]] = defaultdict(list)
    for p in people:
        person_of[p.organisation.pk].append(p)
    by_kind: dict[str, list[Organisation]] = defaultdict(list)
    for o in organisations:
        by_kind[o.kind].append(o)

    # Each current client's obstacles in their latest conversation: one query.
    latest = (
        Conversation.objects.filter(client_id=OuterRef("profile__conversation__client_id"))
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )
    wanted = list(BY_OBSTACLE)
    rows = (
        Obstacle.objects.filter(
            category__in=wanted,
            profile__conversation__client__municipality=municipality,
            profile__conversation__client__household__isnull=False,
            profile__conversation_id=Subquery(latest),
        )
        .order_by("profile__conversation__client_id", "category")
        .values_list(
            "profile__conversation__client_id",
            "profile__conversation__client__household_id",
            "profile__conversation__client__household__address__district_code",
            "category",
        )
    )
    households = (
        Client.objects.filter(municipality=municipality, household__isnull=False)
        .values("household_id")
        .distinct()
        .count()
    )
    target = int(households * INVOLVED_SHARE)
    involved_households: set[object] = set()
    involvements: list[Involvement] = []
    consents: list[Consent] = []
    now = timezone.now()
    for client_id, household_id, district, category in rows:
        if len(involved_households) >= target and household_id not in involved_households:
            continue
        if rng.random() > 0.55:
            continue
        kind, topic, categories = BY_OBSTACLE[category]
        organisation = rng.choice(by_kind[kind])
        involved_households.add(household_id)
        start = today - dt.timedelta(days=rng.randint(14, 540))
        candidates = person_of[organisation.pk]
        involvements.append(
            Involvement(
                household_id=household_id,
                client_id=client_id,
                organisation=organisation,
                person=rng.choice(candidates) if candidates else None,
                topic=topic,
                start_date=start,
            )
        )
        if rng.random() < CONSENT_SHARE:
            consents.append(
                Consent(
                    client_id=client_id,
                    purpose=ConsentPurpose.PARTNER_SHARING,
                    data_categories=list(categories),
                    organisation=organisation,
                    organisation_name=organisation.name,
                    organisation_code=organisation.code,
                    given_at=now - dt.timedelta(days=(today - start).days),
                    given_channel=ConsentChannel.CONVERSATION,
                    recorded_by_name="demo",
                )
            )
        # The wijkteam is involved with some of the same households, for the whole household.
        team = wijkteams.get(district or "")
        if team is not None and rng.random() < 0.25:
            involvements.append(
                Involvement(
                    household_id=household_id,
                    organisation=team,
                    topic=InvolvementTopic.CARE,
                    start_date=start,
                )
            )
    Involvement.objects.bulk_create(involvements, batch_size=2000)
    Consent.objects.bulk_create(consents, batch_size=2000)
    counts = {
        "organisations": len(organisations) + len(wijkteams),
        "people": len(people),
        "involvements": len(involvements),
        "households": len(involved_households),
        "consents": len(consents),
    }
    audit_record(
        actor=None,
        action="partners.demo.create",
        origin=Origin(channel="command"),
        purpose="demo",
        detail=counts,
        municipality_code=municipality.code,
    )
    return counts
