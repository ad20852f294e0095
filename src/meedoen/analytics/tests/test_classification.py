"""From registry values to bands: boundaries, the CBS origin groups, household types."""

from __future__ import annotations

import datetime as dt

import pytest

from meedoen.analytics import classification
from meedoen.analytics.constants import (
    AgeBand,
    BenefitDurationBand,
    HouseholdSizeBand,
    HouseholdType,
    OriginGroup,
)
from meedoen.clients.constants import HouseholdRole
from meedoen.core.iso import COUNTRY_CODES

DAY = dt.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (dt.date(2010, 1, 1), AgeBand.UNDER_18),
        (dt.date(2007, 7, 1), AgeBand.UNDER_18),  # 18 tomorrow
        (dt.date(2007, 6, 30), AgeBand.FROM_18),  # 18 today
        (dt.date(2000, 7, 1), AgeBand.FROM_18),  # 24
        (dt.date(2000, 6, 30), AgeBand.FROM_25),
        (dt.date(1995, 7, 1), AgeBand.FROM_25),  # 29
        (dt.date(1995, 6, 30), AgeBand.FROM_30),
        (dt.date(1965, 6, 30), AgeBand.FROM_60),  # 60
        (dt.date(1960, 7, 1), AgeBand.FROM_60),  # 64
        (dt.date(1960, 6, 30), AgeBand.FROM_65),
        (dt.date(1930, 1, 1), AgeBand.FROM_65),
    ],
)
def test_age_bands(born, band):
    assert classification.age_band(born, DAY) == band


def test_every_age_gets_a_band_and_every_band_is_reached():
    bands = {classification.age_band(dt.date(DAY.year - age, 1, 1), DAY) for age in range(0, 100)}
    assert bands == set(AgeBand)


@pytest.mark.parametrize(
    ("start", "end", "band"),
    [
        (None, None, BenefitDurationBand.NONE),
        (dt.date(2025, 1, 1), DAY, BenefitDurationBand.UNDER_1),
        (dt.date(2024, 7, 1), DAY, BenefitDurationBand.UNDER_1),
        (dt.date(2024, 6, 30), DAY, BenefitDurationBand.FROM_1),
        (dt.date(2023, 7, 1), DAY, BenefitDurationBand.FROM_1),
        (dt.date(2023, 6, 30), DAY, BenefitDurationBand.FROM_2),
        (dt.date(2020, 7, 1), DAY, BenefitDurationBand.FROM_2),
        (dt.date(2020, 6, 30), DAY, BenefitDurationBand.FROM_5),
        (dt.date(2005, 1, 1), DAY, BenefitDurationBand.FROM_5),
    ],
)
def test_benefit_duration_bands(start, end, band):
    assert classification.benefit_duration_band(start, end) == band


@pytest.mark.parametrize(
    ("country", "group"),
    [
        ("NL", OriginGroup.NETHERLANDS),
        ("nl", OriginGroup.NETHERLANDS),
        ("", OriginGroup.UNKNOWN),
        # The demo's origins (dataexchange/demo/names.py) and CBS's conventions.
        *((code, OriginGroup.WESTERN) for code in ("PL", "BG", "DE", "US", "AU", "ID", "JP")),
        *((code, OriginGroup.WESTERN) for code in ("XK", "UA", "CY")),
        *(
            (code, OriginGroup.NON_WESTERN)
            for code in ("MA", "TR", "SR", "CW", "SY", "ER", "SO", "AF", "IQ", "GH")
        ),
        *((code, OriginGroup.NON_WESTERN) for code in ("AW", "SX", "BQ", "MX", "CN", "AM")),
    ],
)
def test_origin_groups_follow_cbs(country, group):
    assert classification.origin_group(country) == group


def test_the_western_list_holds_only_real_country_codes():
    assert classification.WESTERN_COUNTRIES <= COUNTRY_CODES
    assert "NL" not in classification.WESTERN_COUNTRIES
    assert "TR" not in classification.WESTERN_COUNTRIES


A, P, K, X = (
    HouseholdRole.APPLICANT,
    HouseholdRole.PARTNER,
    HouseholdRole.CHILD,
    HouseholdRole.OTHER,
)


@pytest.mark.parametrize(
    ("roles", "kind"),
    [
        ([], HouseholdType.UNKNOWN),
        ([A], HouseholdType.SINGLE),
        ([A, K], HouseholdType.SINGLE_PARENT),
        ([K, A, K, K], HouseholdType.SINGLE_PARENT),
        ([A, P], HouseholdType.COUPLE),
        ([P, A, K], HouseholdType.COUPLE_WITH_CHILDREN),
        ([A, X], HouseholdType.OTHER),
        ([A, P, K, X], HouseholdType.OTHER),
        ([P, K], HouseholdType.OTHER),  # no applicant
        ([A, A], HouseholdType.OTHER),
        ([A, P, P], HouseholdType.OTHER),
    ],
)
def test_household_types(roles, kind):
    assert classification.household_type(roles) == kind


@pytest.mark.parametrize(
    ("size", "band"),
    [
        (0, HouseholdSizeBand.UNKNOWN),
        (1, HouseholdSizeBand.ONE),
        (4, HouseholdSizeBand.FOUR),
        (5, HouseholdSizeBand.FIVE_OR_MORE),
        (11, HouseholdSizeBand.FIVE_OR_MORE),
    ],
)
def test_household_size_bands(size, band):
    assert classification.household_size_band(size) == band
