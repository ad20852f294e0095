"""Demo instrument catalogue: about 25 offers from fictional providers, for the demo city.

Every provider name ends in "(demo)". Where a demo partner organisation fits (Werkfit
Re-integratie, Taalhuis, Schuldhulp, GGZ Kust, UWV), the instrument points at that registry entry;
the others are providers outside the registry, by name only. The municipality's own categories
follow the programmes in the seeds (Werkoffensief, taal, geld, gezondheid en meedoen). Capacity,
cost and duration are plausible orders of magnitude, not real prices.

Bulk inserts in a fixed number of queries; run after the partner organisations. A second run adds
nothing. Enrolments — which depend on client characteristics — are a later step.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from meedoen.accounts.models import Municipality
from meedoen.audit.services import Origin, audit_record
from meedoen.instruments.constants import InstrumentKind as K
from meedoen.instruments.constants import TargetGroup as T
from meedoen.instruments.models import Category, Instrument, InstrumentTargetGroup
from meedoen.partners.models import Organisation

WORK = "Werkoffensief"
LANGUAGE = "Taal en inburgering"
MONEY = "Geld en schulden"
HEALTH = "Gezondheid en meedoen"
LEARNING = "Leren en opleiding"
CATEGORIES = [WORK, LANGUAGE, MONEY, HEALTH, LEARNING]

# Demo partner organisations (dataexchange/demo/partners.py) that deliver instruments.
WERKFIT = "Werkfit Re-integratie (demo)"
TAALHUIS = "Taalhuis Haagse Taal (demo)"
SCHULDHULP = "Schuldhulp Haaglanden (demo)"
GGZ = "GGZ Kust (demo)"
UWV = "UWV Den Haag (demo)"


# (name, kind, provider, target groups, capacity, cost in euro, weeks, categories, description)
CATALOGUE: list[tuple[str, str, str, list[str], int | None, str | None, int | None, list[str], str]]
CATALOGUE = [
    (
        "Sollicitatietraining in tien weken",
        K.JOB_APPLICATION_TRAINING,
        WERKFIT,
        [T.EVERYONE],
        16,
        "950",
        10,
        [WORK],
        "In een groep oefenen met cv, brief en gesprek; elke week een opdracht.",
    ),
    (
        "Sollicitatietraining voor hoogopgeleiden",
        K.JOB_APPLICATION_TRAINING,
        WERKFIT,
        [T.HIGHLY_EDUCATED, T.REFUGEES],
        12,
        "1200",
        8,
        [WORK],
        "Netwerken, LinkedIn en diploma-erkenning; met een mentor uit het vak.",
    ),
    (
        "Jobcoach bij plaatsing",
        K.JOB_COACH,
        WERKFIT,
        [T.EVERYONE],
        40,
        "2400",
        26,
        [WORK],
        "Begeleiding op de werkplek in het eerste half jaar, ook voor de werkgever.",
    ),
    (
        "Jobcoach 50-plus",
        K.JOB_COACH,
        "Vijftig Plus Werkt (demo)",
        [T.OVER_50],
        20,
        "1800",
        20,
        [WORK],
        "Persoonlijke coach die werkgevers kent die ervaring zoeken.",
    ),
    (
        "Werkervaringsplaats Stadsbeheer",
        K.WORK_EXPERIENCE,
        "Leerwerkbedrijf Stadsbeheer (demo)",
        [T.LONG_TERM, T.YOUNG_PEOPLE],
        24,
        "3000",
        26,
        [WORK],
        "Groenonderhoud en schoonmaak in de wijk, met praktijkverklaring.",
    ),
    (
        "Werkervaringsplaats zorg en welzijn",
        K.WORK_EXPERIENCE,
        "Zorgpartners Hofstad (demo)",
        [T.EVERYONE],
        15,
        "2800",
        26,
        [WORK, LEARNING],
        "Meewerken in een verpleeghuis; doorstroom naar een BBL-opleiding mogelijk.",
    ),
    (
        "Leerwerktraject bouw en installatie",
        K.EDUCATION,
        "Vakschool Hofstad (demo)",
        [T.YOUNG_PEOPLE, T.LONG_TERM],
        18,
        "4500",
        40,
        [WORK, LEARNING],
        "Vier dagen werken, één dag school; mbo-2-certificaat. Werkakkoord met de sector.",
    ),
    (
        "Orderpicker (agri)logistiek",
        K.EDUCATION,
        "Logistiek Leerhuis Westland (demo)",
        [T.EVERYONE],
        20,
        "1600",
        8,
        [WORK, LEARNING],
        "Korte vakopleiding met heftruckcertificaat en een baangarantie bij deelnemende bedrijven.",
    ),
    (
        "Horeca-opleiding met baangarantie",
        K.EDUCATION,
        "Horeca Academie Scheveningen (demo)",
        [T.YOUNG_PEOPLE, T.SINGLE_PARENTS],
        16,
        "2200",
        12,
        [WORK, LEARNING],
        "Keuken en bediening; lestijden passend bij schooltijden.",
    ),
    (
        "Taalcursus Nederlands A2",
        K.LANGUAGE_COURSE,
        TAALHUIS,
        [T.REFUGEES, T.LOW_LITERACY],
        30,
        "650",
        20,
        [LANGUAGE],
        "Twee ochtenden per week, met kinderopvang.",
    ),
    (
        "Taalcursus Nederlands B1 op het werk",
        K.LANGUAGE_COURSE,
        TAALHUIS,
        [T.REFUGEES, T.HIGHLY_EDUCATED],
        20,
        "900",
        24,
        [LANGUAGE, WORK],
        "Vaktaal en gesprekken op het werk; examen staatsexamen NT2 I.",
    ),
    (
        "Taalmaatje",
        K.VOLUNTEERING,
        "Vrijwilligerscentrale Hofstad (demo)",
        [T.REFUGEES, T.LOW_LITERACY],
        None,
        "0",
        26,
        [LANGUAGE, HEALTH],
        "Een vrijwilliger oefent wekelijks Nederlands in het dagelijks leven.",
    ),
    (
        "Digitale vaardigheden",
        K.EDUCATION,
        TAALHUIS,
        [T.OVER_50, T.LOW_LITERACY],
        12,
        "250",
        6,
        [LANGUAGE, LEARNING],
        "DigiD, mail en solliciteren online, in een kleine groep.",
    ),
    (
        "Vrijwilligerswerk via de centrale",
        K.VOLUNTEERING,
        "Vrijwilligerscentrale Hofstad (demo)",
        [T.EVERYONE],
        None,
        "0",
        None,
        [HEALTH],
        "Een passende plek bij een buurthuis, voedselbank of sportclub.",
    ),
    (
        "Participatieplaats buurtkeuken",
        K.PARTICIPATION_PLACEMENT,
        "Buurtkeuken De Schilders (demo)",
        [T.LONG_TERM, T.MENTAL_HEALTH],
        10,
        "1200",
        26,
        [HEALTH, WORK],
        "Koken voor de buurt, vaste dagen, met een begeleider op de vloer.",
    ),
    (
        "Participatieplaats kringloopwinkel",
        K.PARTICIPATION_PLACEMENT,
        "Kringloop Hofstad (demo)",
        [T.LONG_TERM, T.DISABILITY],
        14,
        "1100",
        26,
        [HEALTH, WORK],
        "Winkel, magazijn en reparatie; ritme opbouwen.",
    ),
    (
        "Schuldhulpverlening",
        K.DEBT_COUNSELLING,
        SCHULDHULP,
        [T.DEBTS],
        None,
        "1500",
        52,
        [MONEY],
        "Stabilisatie, budgetbeheer en zo nodig een schuldregeling.",
    ),
    (
        "Budgetcursus Grip op geld",
        K.BUDGET_COURSE,
        "Budgetmaatjes Haaglanden (demo)",
        [T.DEBTS, T.SINGLE_PARENTS],
        12,
        "150",
        6,
        [MONEY],
        "Zes avonden over post, toeslagen en een weekbudget.",
    ),
    (
        "Thuisadministratie met een maatje",
        K.BUDGET_COURSE,
        "Budgetmaatjes Haaglanden (demo)",
        [T.DEBTS, T.OVER_50],
        None,
        "0",
        26,
        [MONEY],
        "Een vrijwilliger helpt thuis de papieren op orde te krijgen.",
    ),
    (
        "GGZ-traject Werk als medicijn",
        K.MENTAL_HEALTH,
        GGZ,
        [T.MENTAL_HEALTH],
        15,
        "3500",
        26,
        [HEALTH, WORK],
        "Individuele plaatsing en steun (IPS) naast de behandeling.",
    ),
    (
        "Herstelgroep Weer op de rails",
        K.MENTAL_HEALTH,
        GGZ,
        [T.MENTAL_HEALTH, T.LONG_TERM],
        10,
        "800",
        12,
        [HEALTH],
        "Lotgenotengroep met ervaringsdeskundige.",
    ),
    (
        "Sport en bewegen in de wijk",
        K.SPORT,
        "Sportbuurtwerk Hofstad (demo)",
        [T.EVERYONE],
        None,
        "120",
        12,
        [HEALTH],
        "Twee keer per week sporten met buurtgenoten; gratis sportpas.",
    ),
    (
        "Bewegen op recept",
        K.SPORT,
        "Sportbuurtwerk Hofstad (demo)",
        [T.OVER_50, T.MENTAL_HEALTH],
        20,
        "200",
        16,
        [HEALTH],
        "Begeleid bewegen na verwijzing door huisarts of klantregisseur.",
    ),
    (
        "Werkfit-traject UWV",
        K.OTHER,
        UWV,
        [T.DISABILITY],
        8,
        "2600",
        26,
        [WORK],
        "Voor wie met een arbeidsbeperking de stap naar werk wil zetten.",
    ),
    (
        "Empowermenttraining alleenstaande ouders",
        K.OTHER,
        "Moeders en Vaders Vooruit (demo)",
        [T.SINGLE_PARENTS],
        12,
        "700",
        10,
        [HEALTH, WORK],
        "Eigen doelen stellen, netwerk versterken, opvang regelen.",
    ),
]


@transaction.atomic
def demo_instruments_create(*, municipality: Municipality) -> dict[str, int]:
    """The categories and the catalogue; counts per kind of row ({} when already there)."""
    if Instrument.objects.filter(municipality=municipality).exists():
        return {}
    registry = {
        o.name: o
        for o in Organisation.objects.filter(
            municipality=municipality, name__in={row[2] for row in CATALOGUE}
        )
    }
    categories = {name: Category(municipality=municipality, name=name) for name in CATEGORIES}
    Category.objects.bulk_create(categories.values())
    instruments = []
    target_rows = []
    category_rows = []
    through = Instrument.categories.through
    for name, kind, provider, groups, capacity, cost, weeks, in_categories, text in CATALOGUE:
        organisation = registry.get(provider)
        instrument = Instrument(
            municipality=municipality,
            name=name,
            kind=kind,
            provider=organisation,
            provider_name=provider,
            description=text,
            capacity=capacity,
            cost_per_participant=Decimal(cost) if cost is not None else None,
            usual_duration_weeks=weeks,
        )
        instruments.append(instrument)
        target_rows += [InstrumentTargetGroup(instrument=instrument, code=c) for c in groups]
        category_rows += [
            through(instrument_id=instrument.pk, category_id=categories[c].pk)
            for c in in_categories
        ]
    Instrument.objects.bulk_create(instruments)
    InstrumentTargetGroup.objects.bulk_create(target_rows)
    through.objects.bulk_create(category_rows)
    counts = {
        "categories": len(categories),
        "instruments": len(instruments),
        "from_registry": sum(1 for i in instruments if i.provider_id),
    }
    audit_record(
        actor=None,
        action="instruments.demo.create",
        origin=Origin(channel="command"),
        purpose="demo",
        detail=counts,
        municipality_code=municipality.code,
    )
    return counts
