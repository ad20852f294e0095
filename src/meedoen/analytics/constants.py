"""Categories of the analysts' datasets and the small-cell threshold.

The values are the codes written to the CSV and XLSX files: readable Dutch, and the same whatever
language the analyst's screen is in, so that a script that reads this month's file reads next
month's too. The labels are what the pages show. Bands are coarse on purpose: every extra detail
makes a row easier to single out (docs/privacy/analytics.md).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Counts below this are never shown: "< 10". Reused by every aggregate for analysts (issue 7's
# programme monitor included), as CBS and Divosa do for figures about small groups.
MIN_CELL = 10

# The label of a cell hidden because it is small, and of a cell hidden only so that a small one
# cannot be computed back from a total (secondary suppression).
SMALL_CELL_LABEL = f"< {MIN_CELL}"
HIDDEN_CELL_LABEL = "x"


class Purpose(models.TextChoices):
    """Purposes of pseudonymised data: each has its own pseudonym key (core/pseudonyms.py), so
    files made for two purposes cannot be joined on the pseudonym. Issue 7 adds its own."""

    DATASET = "analytics.dataset", _("Gepseudonimiseerde dataset voor analyse")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", "0-17"
    FROM_18 = "18-24", "18-24"
    FROM_25 = "25-29", "25-29"
    FROM_30 = "30-34", "30-34"
    FROM_35 = "35-39", "35-39"
    FROM_40 = "40-44", "40-44"
    FROM_45 = "45-49", "45-49"
    FROM_50 = "50-54", "50-54"
    FROM_55 = "55-59", "55-59"
    FROM_60 = "60-64", "60-64"
    FROM_65 = "65+", "65+"


class HouseholdType(models.TextChoices):
    SINGLE = "alleenstaand", _("alleenstaand")
    SINGLE_PARENT = "eenoudergezin", _("eenoudergezin")
    COUPLE = "paar", _("paar zonder kinderen")
    COUPLE_WITH_CHILDREN = "paar_met_kinderen", _("paar met kinderen")
    OTHER = "overig", _("overig")
    UNKNOWN = "onbekend", _("onbekend")


class HouseholdSizeBand(models.TextChoices):
    ONE = "1", "1"
    TWO = "2", "2"
    THREE = "3", "3"
    FOUR = "4", "4"
    FIVE_OR_MORE = "5+", "5+"
    UNKNOWN = "onbekend", _("onbekend")


class BenefitDurationBand(models.TextChoices):
    UNDER_1 = "<1", _("korter dan 1 jaar")
    FROM_1 = "1-2", _("1 tot 2 jaar")
    FROM_2 = "2-5", _("2 tot 5 jaar")
    FROM_5 = "5+", _("5 jaar of langer")
    NONE = "geen", _("geen eigen uitkering")


class OriginGroup(models.TextChoices):
    """Country of birth in the CBS grouping that the programmes' evaluations use."""

    NETHERLANDS = "nederland", _("Nederland")
    WESTERN = "westers", _("westers")
    NON_WESTERN = "niet_westers", _("niet-westers")
    UNKNOWN = "onbekend", _("onbekend")


class YesNo(models.TextChoices):
    YES = "ja", _("ja")
    NO = "nee", _("nee")


class TargetGroup(models.TextChoices):
    """Doelgroep by age, as the Participatiewet and the programmes distinguish them: young people
    under 27 (their own rules and offers), 27 to 49, and 50-plussers (a group the evaluations
    name for its own approach). Coarse on purpose; used for the profile aggregates (issue 4)."""

    YOUNG = "jonger_dan_27", _("jonger dan 27")
    MIDDLE = "27_tot_50", _("27 tot 50 jaar")
    OLDER = "50_plus", _("50-plussers")


class EvaluationStatus(models.TextChoices):
    """Life of an effect evaluation (issue 7): queued → running → done | failed. Moved on by
    conditional updates in services_effects.py, so two workers never run one evaluation twice."""

    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


# The methods an analyst can choose; the engine's names (meedoen.effects.estimate).
class EffectMethod(models.TextChoices):
    MATCHING = "matching", _("matching op de propensityscore")
    IPW = "ipw", _("weging (inverse probability weighting)")
    AIPW = "aipw", _("dubbel robuust (AIPW)")


class Verdict(models.TextChoices):
    CREDIBLE = "credible", _("betrouwbaar")
    DOUBTFUL = "doubtful", _("twijfelachtig")
    NOT_CREDIBLE = "not_credible", _("niet betrouwbaar")
