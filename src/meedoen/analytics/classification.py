"""From registry values to the coarse categories of an analysts' dataset. Pure functions, no ORM.

Each function takes what the registry holds (a date, a country code, the roles in a household)
and returns a code of analytics/constants.py. None of them keeps the detail it was given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from meedoen.analytics.constants import (
    AgeBand,
    BenefitDurationBand,
    HouseholdSizeBand,
    HouseholdType,
    OriginGroup,
    TargetGroup,
)
from meedoen.clients.constants import HouseholdRole


# CBS's classification of a country of birth as "westers" (used until 2022 and still by the
# evaluations the programmes compare with, e.g. the Divosa and SCP studies): every country of
# Europe except Turkey, of North America and of Oceania, plus Indonesia and Japan. Everything
# else — Africa, Latin America and the Caribbean (Suriname and the Dutch Caribbean included), Asia
# and Turkey — is "niet-westers". Europe and North America follow the UN M49 regions; Cyprus
# counts as Europe, as in CBS tables; the Caucasus counts as Asia.
def _codes(*groups: str) -> frozenset[str]:
    return frozenset(code for group in groups for code in group.split())


WESTERN_COUNTRIES: frozenset[str] = _codes(
    # Europe (Kosovo as XK, as Dutch registrations write it).
    "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI",
    "LT LU LV MC MD ME MK MT NO PL PT RO RS RU SE SI SJ SK SM UA VA XK",
    # North America.
    "BM CA GL PM US",
    # Oceania.
    "AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
    # By CBS convention.
    "ID JP",
)
NETHERLANDS = "NL"


def origin_group(country_of_birth: str) -> OriginGroup:
    code = (country_of_birth or "").strip().upper()
    if not code:
        return OriginGroup.UNKNOWN
    if code == NETHERLANDS:
        return OriginGroup.NETHERLANDS
    return OriginGroup.WESTERN if code in WESTERN_COUNTRIES else OriginGroup.NON_WESTERN


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


_FIVE_YEAR_BANDS = (
    AgeBand.FROM_25,
    AgeBand.FROM_30,
    AgeBand.FROM_35,
    AgeBand.FROM_40,
    AgeBand.FROM_45,
    AgeBand.FROM_50,
    AgeBand.FROM_55,
    AgeBand.FROM_60,
)


def age_band(date_of_birth: dt.date, day: dt.date) -> AgeBand:
    """The age on `day` in bands of five years; 18-24 and 65+ as in CBS and Divosa figures."""
    age = age_on(date_of_birth, day)
    if age < 18:
        return AgeBand.UNDER_18
    if age < 25:
        return AgeBand.FROM_18
    if age >= 65:
        return AgeBand.FROM_65
    return _FIVE_YEAR_BANDS[(age - 25) // 5]


def target_group(date_of_birth: dt.date, day: dt.date) -> TargetGroup:
    """The doelgroep by age on `day` (constants.TargetGroup): under 27, 27 to 49, 50 and over."""
    age = age_on(date_of_birth, day)
    if age < 27:
        return TargetGroup.YOUNG
    return TargetGroup.OLDER if age >= 50 else TargetGroup.MIDDLE


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end`: a benefit from 1 March 2020 is 5 years on 1 March 2025."""
    return max(0, age_on(start, end))


def benefit_duration_band(start: dt.date | None, end: dt.date | None) -> BenefitDurationBand:
    """How long a benefit period ran (until `end`, or until the reference date while it runs)."""
    if start is None or end is None:
        return BenefitDurationBand.NONE
    years = years_between(start, end)
    if years < 1:
        return BenefitDurationBand.UNDER_1
    if years < 2:
        return BenefitDurationBand.FROM_1
    if years < 5:
        return BenefitDurationBand.FROM_2
    return BenefitDurationBand.FROM_5


# Plain strings: this runs once per household of a 27,000-client dataset.
_APPLICANT = HouseholdRole.APPLICANT.value
_PARTNER = HouseholdRole.PARTNER.value
_CHILD = HouseholdRole.CHILD.value


def household_type(roles: Iterable[str]) -> HouseholdType:
    """The type of a household from the roles of its current members.

    One applicant, with or without one partner, with or without children; anything else (no
    applicant, two partners, a member in the role "overig") is "overig".
    """
    applicants = partners = children = total = 0
    for role in roles:
        total += 1
        if role == _APPLICANT:
            applicants += 1
        elif role == _PARTNER:
            partners += 1
        elif role == _CHILD:
            children += 1
    if total == 0:
        return HouseholdType.UNKNOWN
    if applicants != 1 or partners > 1 or applicants + partners + children != total:
        return HouseholdType.OTHER
    if partners:
        return HouseholdType.COUPLE_WITH_CHILDREN if children else HouseholdType.COUPLE
    return HouseholdType.SINGLE_PARENT if children else HouseholdType.SINGLE


def household_size_band(size: int) -> HouseholdSizeBand:
    if size <= 0:
        return HouseholdSizeBand.UNKNOWN
    if size >= 5:
        return HouseholdSizeBand.FIVE_OR_MORE
    return HouseholdSizeBand(str(size))
