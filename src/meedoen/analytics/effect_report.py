"""An effect evaluation's stored result, made readable: the figures of the report page and PDF.

The page and the PDF show the same thing (analytics/_effect_report.html): the estimate with its
95% interval per method, the naive difference beside it, the verdict with its reasons, balance
(love plot and table), overlap (histograms and table), the placebo check, the minimum detectable
effect and the definitions. Counts below MIN_CELL read "< 10", also in the histograms, where a
small bin is hidden together with one more so it cannot be computed from the group's total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meedoen.analytics.aggregates import Cell, suppress
from meedoen.analytics.charts import Histogram, LovePlot, histogram, love_plot
from meedoen.analytics.constants import MIN_CELL, SMALL_CELL_LABEL, EffectMethod, Verdict
from meedoen.analytics.effect_dataset import DEFAULT_HORIZONS, EFFECT_OUTCOMES
from meedoen.analytics.models import EffectEvaluation
from meedoen.analytics.selectors_effects import latest_finished_evaluations
from meedoen.outcomes.models import PlantedEffect

METHOD_LABELS: dict[str, str | Promise] = {
    EffectMethod.MATCHING: gettext_lazy("Matching"),
    EffectMethod.IPW: gettext_lazy("Weging (IPW)"),
    EffectMethod.AIPW: gettext_lazy("Dubbel robuust (AIPW)"),
}
METHOD_HELP: dict[str, str | Promise] = {
    EffectMethod.MATCHING: gettext_lazy(
        "Elke deelnemer wordt vergeleken met de niet-deelnemer die het meest op hem of haar leek."
    ),
    EffectMethod.IPW: gettext_lazy(
        "Niet-deelnemers die op deelnemers lijken tellen zwaarder mee in de vergelijking."
    ),
    EffectMethod.AIPW: gettext_lazy(
        "Combineert weging met een voorspelling van de uitkomst; blijft goed als één van "
        "beide modellen er wat naast zit."
    ),
}
VERDICT_LABELS = dict(Verdict.choices)
GROUPS = (("treated", gettext_lazy("Deelnemers")), ("control", gettext_lazy("Vergelijkingsgroep")))


def count_label(value: Any) -> str:
    """A number of people: "< 10" below the small-cell threshold (0 is shown)."""
    if value is None:
        return "—"
    number = int(value)
    if 0 < number < MIN_CELL:
        return SMALL_CELL_LABEL
    return number_format(number, force_grouping=True)


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class Scale:
    """How an effect is written: a binary outcome in percentage points, else as a number."""

    binary: bool

    def value(self, raw: Any, *, signed: bool = True) -> str:
        number = _finite(raw)
        if number is None:
            return "—"
        if self.binary:
            text = number_format(round(number * 100, 1), decimal_pos=1)
        else:
            text = number_format(round(number, 2), decimal_pos=2)
        return f"+{text}" if signed and number > 0 else text

    def with_unit(self, raw: Any, *, signed: bool = True) -> str:
        text = self.value(raw, signed=signed)
        if text == "—" or not self.binary:
            return text
        return _("%(value)s procentpunt") % {"value": text}

    def interval(self, low: Any, high: Any) -> str:
        if _finite(low) is None or _finite(high) is None:
            return "—"
        return _("%(low)s tot %(high)s") % {
            "low": self.value(low),
            "high": self.with_unit(high),
        }


@dataclass(frozen=True)
class Estimate:
    code: str
    label: str | Promise
    help: str | Promise
    estimate: str
    interval: str
    n_treated: str
    n_control: str
    raw: float | None
    low: float | None
    high: float | None

    @property
    def excludes_zero(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


@dataclass(frozen=True)
class BalanceRow:
    label: str
    before: str
    after: str
    weighted: str


@dataclass(frozen=True)
class HistogramRow:
    label: str
    cells: list[Cell]


@dataclass
class EffectReportView:
    evaluation: EffectEvaluation
    instrument_name: str
    outcome_label: str
    binary: bool
    methods: list[Estimate] = field(default_factory=list)
    headline: Estimate | None = None
    naive: Estimate | None = None
    verdict: str = ""
    verdict_label: str | Promise = ""
    reasons: list[str] = field(default_factory=list)
    summary: str = ""
    planted: str | None = None
    planted_inside: bool | None = None
    placebo: dict[str, Any] | None = None
    mde: str = "—"
    definitions: dict[str, str] = field(default_factory=dict)
    n_population: str = "—"
    balance: list[BalanceRow] = field(default_factory=list)
    love: LovePlot | None = None
    has_weighted: bool = False
    has_matched: bool = False
    histogram: Histogram | None = None
    histogram_rows: list[HistogramRow] = field(default_factory=list)
    overlap_facts: list[tuple[str, str]] = field(default_factory=list)


def _estimate(code: str, label: str | Promise, data: dict[str, Any], scale: Scale) -> Estimate:
    return Estimate(
        code=code,
        label=label,
        help=METHOD_HELP.get(code, ""),
        estimate=scale.with_unit(data.get("estimate")),
        interval=scale.interval(data.get("ci_low"), data.get("ci_high")),
        n_treated=count_label(data.get("n_treated")),
        n_control=count_label(data.get("n_control")),
        raw=_finite(data.get("estimate")),
        low=_finite(data.get("ci_low")),
        high=_finite(data.get("ci_high")),
    )


def _smd(value: Any) -> str:
    number = _finite(value)
    return "—" if number is None else number_format(round(number, 2), decimal_pos=2)


def _balance(report: EffectReportView, balance: dict[str, Any], methods: list[str]) -> None:
    """SMD before, after matching (when matching ran) and after weighting (when IPW or AIPW
    ran, which share the weights)."""
    matched = "matching" in methods
    weighted = bool({"ipw", "aipw"} & set(methods))
    rows = []
    for name, values in balance.items():
        values = values if isinstance(values, dict) else {}
        rows.append(
            (
                str(name),
                _finite(values.get("before")),
                _finite(values.get("after")) if matched else None,
                _finite(values.get("after_weighting")) if weighted else None,
            )
        )
    # The worst balanced covariates first: where the reader should look.
    rows.sort(key=lambda r: -max(abs(v) for v in (r[1], r[2], r[3], 0.0) if v is not None))
    report.has_matched = any(r[2] is not None for r in rows)
    report.has_weighted = any(r[3] is not None for r in rows)
    report.balance = [BalanceRow(r[0], _smd(r[1]), _smd(r[2]), _smd(r[3])) for r in rows]
    if rows:
        report.love = love_plot(
            chart_id="grafiek-balans",
            title=_("Balans per kenmerk (love plot)"),
            description=_(
                "Voor elk kenmerk het verschil tussen deelnemers en vergelijkingsgroep, als "
                "gestandaardiseerd verschil: een open rondje vóór de vergelijking, een vierkantje "
                "na matching, een ruit na weging. Links van de lijn bij 0,1 is het verschil klein. "
                "De getallen staan in de tabel bij de grafiek."
            ),
            rows=rows,
        )


def _histogram(report: EffectReportView, overlap: dict[str, Any], sizes: dict[str, Any]) -> None:
    """The engine gives each bin's share of its group; the group sizes make counts of them,
    which are suppressed like every count an analyst sees."""
    hist = overlap.get("histogram") if isinstance(overlap.get("histogram"), dict) else None
    if not hist:
        return
    edges = [float(e) for e in hist.get("edges") or []]
    bins = len(edges) - 1
    series: dict[str, list[int]] = {}
    for group, _label in GROUPS:
        values = [_finite(v) or 0.0 for v in hist.get(group) or []]
        size = int(sizes.get(f"n_{group}") or 0)
        if len(values) != bins or bins < 1 or size < 1:
            return
        # Shares of at most 1: counts; a list of counts passes unchanged.
        series[group] = [round(v * size) if sum(values) <= 1.0001 else round(v) for v in values]
    counts: dict[Any, int] = {}
    lines = []
    for group, _label in GROUPS:
        for index, n in enumerate(series[group]):
            counts[group, index] = n
        counts[group, "total"] = sum(series[group])
        lines.append([*[(group, i) for i in range(bins)], (group, "total")])
    hidden = suppress(counts, lines)

    def cell(key: Any) -> Cell:
        return Cell(value=None, suppressed=hidden[key]) if key in hidden else Cell(counts[key])

    report.histogram_rows = [
        HistogramRow(
            label=_("%(low)s tot %(high)s")
            % {
                "low": number_format(edges[i], decimal_pos=2),
                "high": number_format(edges[i + 1], decimal_pos=2),
            },
            cells=[cell((group, i)) for group, _label in GROUPS],
        )
        for i in range(bins)
        # Bins empty in both groups say nothing; the chart still shows the whole scale.
        if counts["treated", i] or counts["control", i]
    ]
    report.histogram = histogram(
        chart_id="grafiek-overlap",
        title=_("Verdeling van de propensityscore per groep"),
        description=_(
            "Twee staafdiagrammen over dezelfde schaal van 0 tot 1: de geschatte kans om deel te "
            "nemen, bij deelnemers en bij de vergelijkingsgroep. Waar beide groepen staven hebben, "
            "is er overlap. Groepjes van minder dan 10 mensen zijn weggelaten. De aantallen staan "
            "in de tabel bij de grafiek."
        ),
        edges=edges,
        groups=[(label, [cell((group, i)) for i in range(bins)]) for group, label in GROUPS],
    )


def _share(value: Any) -> str:
    number = _finite(value)
    if number is None:
        return "—"
    return f"{number_format(round(number * 100, 1), decimal_pos=1)}%"


# Facts about overlap the engine reports (effects.estimate _overlap): a path into the overlap
# dict and what it means.
OVERLAP_FACTS: tuple[tuple[tuple[str, ...], Any], ...] = (
    (
        ("share_trimmed", "treated"),
        gettext_lazy("Deelnemers met een score onder 0,01 of boven 0,99 (weggelaten bij weging)"),
    ),
    (
        ("share_trimmed", "control"),
        gettext_lazy(
            "Niet-deelnemers met een score onder 0,01 of boven 0,99 (weggelaten bij weging)"
        ),
    ),
    (
        ("share_unmatched",),
        gettext_lazy("Deelnemers zonder vergelijkbare niet-deelnemer (weggelaten bij matching)"),
    ),
    (
        ("share_outside_support",),
        gettext_lazy("Deelnemers met een score buiten het bereik van de vergelijkingsgroep"),
    ),
)


def _overlap_facts(overlap: dict[str, Any]) -> list[tuple[str, str]]:
    facts = []
    for path, label in OVERLAP_FACTS:
        value: Any = overlap
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if _finite(value) is not None:
            facts.append((str(label), _share(value)))
    for group, label in GROUPS:
        summary = overlap.get(group)
        if isinstance(summary, dict) and _finite(summary.get("median")) is not None:
            facts.append(
                (
                    _("Middelste score, %(group)s") % {"group": str(label).lower()},
                    number_format(round(float(summary["median"]), 2), decimal_pos=2),
                )
            )
    return facts


def _summary(report: EffectReportView, horizon: int | None) -> str:
    head = report.headline
    if head is None or head.raw is None:
        return ""
    scale = Scale(report.binary)
    amount = scale.with_unit(abs(head.raw), signed=False)
    if report.binary:
        more = _("vaker") if head.raw >= 0 else _("minder vaak")
        sentence = _(
            "Deelnemers aan %(instrument)s hadden %(amount)s %(more)s de uitkomst “%(outcome)s” "
            "dan vergelijkbare mensen die niet deelnamen."
        ) % {
            "instrument": report.instrument_name,
            "amount": amount,
            "more": more,
            "outcome": report.outcome_label,
        }
    else:
        more = _("hoger") if head.raw >= 0 else _("lager")
        sentence = _(
            "Bij deelnemers aan %(instrument)s was de uitkomst “%(outcome)s” %(amount)s %(more)s "
            "dan bij vergelijkbare mensen die niet deelnamen."
        ) % {
            "instrument": report.instrument_name,
            "amount": amount,
            "more": more,
            "outcome": report.outcome_label,
        }
    interval = _("Het 95%%-betrouwbaarheidsinterval loopt van %(interval)s.") % {
        "interval": head.interval
    }
    if head.excludes_zero:
        zero = _("Nul ligt buiten dat interval: toeval alleen verklaart het verschil niet goed.")
    else:
        zero = _(
            "Nul ligt binnen dat interval: het is goed mogelijk dat het instrument op deze "
            "uitkomst geen effect heeft."
        )
    return f"{sentence} {interval} {zero}"


def effect_report(evaluation: EffectEvaluation) -> EffectReportView:
    """The report of a finished evaluation (`evaluation.result` set; instrument selected)."""
    result: dict[str, Any] = evaluation.result or {}
    dataset = result.get("dataset") or {}
    binary = bool(dataset.get("outcome_binary", True))
    scale = Scale(binary)
    spec = EFFECT_OUTCOMES.get(evaluation.outcome)
    report = EffectReportView(
        evaluation=evaluation,
        instrument_name=evaluation.instrument.name,
        outcome_label=str(spec[0]) if spec else evaluation.outcome,
        binary=binary,
    )
    for code in evaluation.methods:
        if isinstance(result.get(code), dict):
            report.methods.append(
                _estimate(code, METHOD_LABELS.get(code, code), result[code], scale)
            )
    by_code = {m.code: m for m in report.methods}
    report.headline = by_code.get(evaluation.headline_method) or (
        report.methods[0] if report.methods else None
    )
    if isinstance(result.get("naive_difference"), dict):
        report.naive = _estimate(
            "naive",
            _("Naïef verschil"),
            result["naive_difference"],
            scale,
        )
    report.verdict = str(result.get("verdict") or "")
    report.verdict_label = VERDICT_LABELS.get(report.verdict, report.verdict)
    report.reasons = [
        str(r.get("message") if isinstance(r, dict) else r) for r in result.get("reasons") or []
    ]
    placebo = result.get("placebo")
    if isinstance(placebo, dict):
        report.placebo = {
            "name": dataset.get("placebo_name") or "",
            "estimate": scale.with_unit(placebo.get("estimate")),
            "interval": scale.interval(placebo.get("ci_low"), placebo.get("ci_high")),
            "flag": bool(placebo.get("flag")),
        }
    report.mde = scale.with_unit(result.get("mde"), signed=False)
    report.n_population = count_label(dataset.get("n_population"))
    report.definitions = {
        "population": str(dataset.get("population_definition") or ""),
        "outcome": str(dataset.get("outcome_definition") or ""),
        "index_date": str(dataset.get("index_date_rule") or ""),
    }
    _balance(report, result.get("balance") or {}, list(evaluation.methods))
    raw_overlap = result.get("overlap")
    overlap: dict[str, Any] = raw_overlap if isinstance(raw_overlap, dict) else {}
    _histogram(report, overlap, dataset)
    report.overlap_facts = _overlap_facts(overlap)
    # The demo's truth holds for the outcome's own horizon only.
    default_horizon = DEFAULT_HORIZONS.get(evaluation.outcome)
    same_horizon = evaluation.horizon_months in (None, default_horizon)
    planted = (
        PlantedEffect.objects.filter(
            municipality_id=evaluation.municipality_id,
            instrument_id=evaluation.instrument_id,
            outcome=evaluation.outcome,
        )
        .values_list("effect", flat=True)
        .first()
        if same_horizon
        else None
    )
    if planted is not None:
        report.planted = scale.with_unit(planted)
        head = report.headline
        if head is not None and head.low is not None and head.high is not None:
            report.planted_inside = head.low <= planted <= head.high
    report.summary = _summary(report, evaluation.horizon_months)
    return report


# The catalogue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectSummary:
    """The headline of an instrument's latest finished evaluation, for the catalogue."""

    evaluation_id: Any
    outcome_label: str
    estimate: str
    interval: str
    verdict: str
    verdict_label: str | Promise
    finished_at: Any


def effect_summaries(*, instrument_ids: Any) -> dict[Any, EffectSummary]:
    """Per instrument its latest finished evaluation, in one query (no result JSON read).

    Every outcome in EFFECT_OUTCOMES is a yes/no outcome, so effects read in percentage points.
    """
    scale = Scale(binary=True)
    summaries = {}
    for instrument_id, row in latest_finished_evaluations(instrument_ids=instrument_ids).items():
        spec = EFFECT_OUTCOMES.get(row.outcome)
        summaries[instrument_id] = EffectSummary(
            evaluation_id=row.pk,
            outcome_label=str(spec[0]) if spec else row.outcome,
            estimate=scale.with_unit(row.estimate),
            interval=scale.interval(row.ci_low, row.ci_high),
            verdict=row.verdict,
            verdict_label=VERDICT_LABELS.get(row.verdict, row.verdict),
            finished_at=row.finished_at,
        )
    return summaries
