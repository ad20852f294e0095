"""What the profile parts of the client page and the conversation page show: labels, the change
since the previous conversation with arrows and words, and the ZRM and participatieladder
timelines as charts and tables. Built from what profiles.selectors already loaded: no queries.

The definitions (completeness, change, big step forward) are profiles.measures'; this module only
words them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meedoen.analytics.charts import TimelineChart, TimelineSeriesInput, timeline_chart
from meedoen.core.iso import language_name
from meedoen.profiles.constants import (
    ConversationPlace,
    DrivingLicence,
    EducationLevel,
    HelpCategory,
    LadderRung,
    LanguageLevel,
    ObstacleCategory,
    ParticipantRole,
    ProfilePart,
    Sector,
    Severity,
    TravelMeans,
    WorkPreferenceKind,
    WorkReadiness,
    ZrmDomain,
)
from meedoen.profiles.isco import isco_title
from meedoen.profiles.measures import BIG_STEP_WINDOW_DAYS
from meedoen.profiles.models import Conversation, ProfileSnapshot
from meedoen.profiles.selectors import ProfileHistory, profile_completeness_of

ZRM_LABELS = dict(ZrmDomain.choices)
OBSTACLE_LABELS = dict(ObstacleCategory.choices)
PART_LABELS = dict(ProfilePart.choices)


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def _short_day(value: dt.date) -> str:
    return date_format(value, "d-m-Y")


@dataclass(frozen=True)
class Change:
    """A difference between two conversations, shown with an arrow AND words (not colour)."""

    delta: int | None

    @property
    def arrow(self) -> str:
        if self.delta is None:
            return "—"
        return "↑" if self.delta > 0 else "↓" if self.delta < 0 else "="

    @property
    def signed(self) -> str:
        if self.delta is None or self.delta == 0:
            return ""
        return f"+{self.delta}" if self.delta > 0 else f"\N{MINUS SIGN}{-self.delta}"

    @property
    def words(self) -> Any:
        if self.delta is None:
            return _("niet te vergelijken")
        if self.delta > 0:
            return _("vooruit")
        if self.delta < 0:
            return _("achteruit")
        return _("gelijk")

    @property
    def direction(self) -> str:  # for the CSS class only; the words carry the meaning
        if self.delta is None or self.delta == 0:
            return "same"
        return "up" if self.delta > 0 else "down"


# --- the latest profile -----------------------------------------------------------------------


@dataclass(frozen=True)
class ObstacleShown:
    label: Any
    severity: Any
    addressed: bool
    note: str


@dataclass(frozen=True)
class LabelNote:
    label: Any
    note: str


@dataclass
class ProfileShown:
    """One snapshot in words: what the client page and the conversation page show."""

    talents: str
    skills: list[str]
    wishes: str
    ambition_short: str
    ambition_long: str
    obstacles: list[ObstacleShown]
    no_obstacles: bool
    help_needs: list[LabelNote]
    zrm: list[tuple[Any, Any]]  # (domain label, score label), in the ZRM's order
    ladder_current: Any
    ladder_potential: Any
    work: list[tuple[Any, Any]]  # (label, value in words); only what is filled
    experience: list[LabelNote]
    percent: int
    filled: list[Any]
    missing: list[Any]


def _labels(codes: list[str], choices: dict[str, Any]) -> str:
    return ", ".join(str(choices.get(code, code)) for code in codes)


def profile_shown(snapshot: ProfileSnapshot) -> ProfileShown:
    """The snapshot in words; expects the rows prefetched (profiles.selectors.profile_latest)."""
    completeness = profile_completeness_of(snapshot)
    severities = dict(Severity.choices)
    zrm_rows = {row.domain: row.score for row in snapshot.zrm_scores.all()}
    preferences = list(snapshot.work_preferences.all())
    occupations = [p.code for p in preferences if p.kind == WorkPreferenceKind.OCCUPATION]
    sectors = [p.code for p in preferences if p.kind == WorkPreferenceKind.SECTOR]
    work: list[tuple[Any, Any]] = []

    def add(label: Any, value: Any) -> None:
        if value not in ("", None, []):
            work.append((label, value))

    add(_("Werkfit"), snapshot.get_work_readiness_display() if snapshot.work_readiness else "")
    add(_("Toelichting werkfit"), snapshot.work_readiness_reason)
    add(
        _("Hoogste opleiding"),
        dict(EducationLevel.choices).get(snapshot.education_level, "")
        if snapshot.education_level
        else "",
    )
    add(_("Diploma's en certificaten"), ", ".join(snapshot.diplomas))
    add(_("Gewenste beroepen"), ", ".join(f"{isco_title(c)} ({c})" for c in occupations))
    add(_("Gewenste sectoren"), _labels(sectors, dict(Sector.choices)))
    add(
        _("Uren per week beschikbaar"),
        snapshot.hours_per_week if snapshot.hours_per_week is not None else "",
    )
    add(
        _("Reisafstand"),
        _("%(km)s km") % {"km": snapshot.travel_radius_km}
        if snapshot.travel_radius_km is not None
        else "",
    )
    add(_("Vervoer"), _labels(list(snapshot.travel_means), dict(TravelMeans.choices)))
    add(_("Rijbewijzen"), _labels(list(snapshot.driving_licences), dict(DrivingLicence.choices)))
    add(_("Niveau Nederlands"), dict(LanguageLevel.choices).get(snapshot.dutch_level, ""))
    add(_("Andere talen"), ", ".join(language_name(c) for c in snapshot.other_languages))
    add(_("Beschikbaar vanaf"), _day(snapshot.available_from) if snapshot.available_from else "")
    return ProfileShown(
        talents=snapshot.talents,
        skills=list(snapshot.skills),
        wishes=snapshot.wishes,
        ambition_short=snapshot.ambition_short,
        ambition_long=snapshot.ambition_long,
        obstacles=[
            ObstacleShown(
                label=OBSTACLE_LABELS.get(o.category, o.category),
                severity=severities.get(o.severity, o.severity),
                addressed=o.addressed,
                note=o.note,
            )
            for o in snapshot.obstacles.all()
        ],
        no_obstacles=snapshot.no_obstacles,
        help_needs=[
            LabelNote(label=dict(HelpCategory.choices).get(h.category, h.category), note=h.note)
            for h in snapshot.help_needs.all()
        ],
        zrm=[
            (label, _score_label(zrm_rows[code]))
            for code, label in ZrmDomain.choices
            if code in zrm_rows
        ],
        ladder_current=dict(LadderRung.choices).get(snapshot.ladder_current or 0, ""),
        ladder_potential=dict(LadderRung.choices).get(snapshot.ladder_potential or 0, ""),
        work=work,
        experience=[
            LabelNote(
                label=f"{isco_title(w.isco_code)} ({w.isco_code})",
                note=_experience_note(w.description, w.years, w.last_year),
            )
            for w in snapshot.work_experience.all()
        ],
        percent=completeness.percent,
        filled=[PART_LABELS[p] for p in completeness.filled],
        missing=[PART_LABELS[p] for p in completeness.missing],
    )


def _experience_note(description: str, years: int | None, last_year: int | None) -> str:
    parts = [description] if description else []
    if years is not None:
        parts.append(str(_("%(years)s jaar") % {"years": years}))
    if last_year is not None:
        parts.append(str(_("laatst in %(year)s") % {"year": last_year}))
    return ", ".join(parts)


def _score_label(score: int | None) -> Any:
    return _("onbekend") if score is None else str(score)


def conversation_shown(conversation: Conversation) -> dict[str, Any]:
    return {
        "place": dict(ConversationPlace.choices).get(conversation.place, conversation.place),
        "participants": _labels(list(conversation.participants), dict(ParticipantRole.choices)),
    }


# --- history: change, big steps, charts and tables ---------------------------------------------


@dataclass(frozen=True)
class LadderRow:
    conversation_id: uuid.UUID
    date: dt.date
    current: int | None
    potential: int | None
    big_step: bool


@dataclass(frozen=True)
class ZrmRow:
    label: Any
    scores: list[Any]  # per ZRM date: "1".."5", "onbekend", or "—" (not assessed that time)
    change: Change


@dataclass(frozen=True)
class BigStepShown:
    date: dt.date
    from_rung: int
    to_rung: int
    from_date: dt.date


@dataclass(frozen=True)
class DomainChart:
    label: Any
    chart: TimelineChart


@dataclass
class HistoryShown:
    ladder_rows: list[LadderRow] = field(default_factory=list)
    ladder_chart: TimelineChart | None = None
    zrm_dates: list[dt.date] = field(default_factory=list)
    zrm_rows: list[ZrmRow] = field(default_factory=list)
    zrm_charts: list[DomainChart] = field(default_factory=list)
    big_steps: list[BigStepShown] = field(default_factory=list)
    previous_date: dt.date | None = None
    ladder_change: Change | None = None
    potential_change: Change | None = None
    zrm_changes: list[tuple[Any, Change]] = field(default_factory=list)  # only changed domains
    obstacles_new: list[Any] = field(default_factory=list)
    obstacles_gone: list[Any] = field(default_factory=list)
    completeness_change: Change | None = None
    window_days: int = BIG_STEP_WINDOW_DAYS


def history_shown(history: ProfileHistory) -> HistoryShown:
    shown = HistoryShown()
    if not history.points:
        return shown
    step_ends = {step.end.conversation_id for step in history.big_steps}
    shown.big_steps = [
        BigStepShown(
            date=step.end.date,
            from_rung=step.start.current or 0,
            to_rung=step.end.current or 0,
            from_date=step.start.date,
        )
        for step in history.big_steps
    ]
    shown.ladder_rows = [
        LadderRow(
            conversation_id=uuid.UUID(str(p.conversation_id)),
            date=p.date,
            current=p.current,
            potential=p.potential,
            big_step=p.conversation_id in step_ends,
        )
        for p in history.ladder
    ]
    if history.ladder:
        shown.ladder_chart = _ladder_chart(shown)

    # The ZRM: the conversations that assessed it (all 13 domains or none, so one set of dates).
    dates_by_conversation: dict[Any, dt.date] = {}
    for points in history.zrm.values():
        for point in points:
            dates_by_conversation[point.conversation_id] = point.date
    order = sorted(dates_by_conversation, key=lambda c: (dates_by_conversation[c], str(c)))
    shown.zrm_dates = [dates_by_conversation[c] for c in order]
    change = history.change
    for code, label in ZrmDomain.choices:
        by_conversation = {p.conversation_id: p.score for p in history.zrm.get(code, [])}
        delta = change.zrm.get(code) if change else None
        shown.zrm_rows.append(
            ZrmRow(
                label=label,
                scores=[
                    _score_label(by_conversation[c]) if c in by_conversation else "—" for c in order
                ],
                change=Change(delta),
            )
        )
        if order:
            shown.zrm_charts.append(
                DomainChart(
                    label=label,
                    chart=timeline_chart(
                        chart_id=f"grafiek-zrm-{code.replace('_', '-')}",
                        title=label,
                        description=_(
                            "Lijndiagram van de score op %(domain)s (1 tot 5) bij elk gesprek "
                            "met een ZRM. De scores staan in de tabel Leefgebieden per gesprek."
                        )
                        % {"domain": label},
                        dates=shown.zrm_dates,
                        series=[
                            TimelineSeriesInput(
                                name=label, values=[by_conversation.get(c) for c in order]
                            )
                        ],
                        low=1,
                        high=5,
                        date_labels=[_short_day(d) for d in shown.zrm_dates],
                        width=320,
                        height=170,
                        show_title=True,
                    ),
                )
            )

    if change is not None and change.previous_date is not None:
        shown.previous_date = change.previous_date
        shown.ladder_change = Change(change.ladder_current)
        shown.potential_change = Change(change.ladder_potential)
        shown.zrm_changes = [
            (ZRM_LABELS[code], Change(delta))
            for code, delta in change.zrm.items()
            if delta is not None and delta != 0
        ]
        shown.obstacles_new = [OBSTACLE_LABELS.get(c, c) for c in change.obstacles_new]
        shown.obstacles_gone = [OBSTACLE_LABELS.get(c, c) for c in change.obstacles_gone]
        shown.completeness_change = Change(change.completeness)
    return shown


def _ladder_chart(shown: HistoryShown) -> TimelineChart:
    rows = shown.ladder_rows
    first, last = rows[0].date, rows[-1].date
    if shown.big_steps:
        steps = _(
            " Grote stap vooruit bij %(count)s gesprek(ken), gemarkeerd met een driehoek."
        ) % {"count": len(shown.big_steps)}
    else:
        steps = ""
    description = _(
        "Lijndiagram van de huidige trede (doorgetrokken lijn, rondjes) en de haalbare trede "
        "(gestippelde lijn, vierkantjes) op de participatieladder, van 1 tot 6, bij %(count)s "
        "gesprek(ken) van %(first)s tot en met %(last)s.%(steps)s De treden staan in de tabel "
        "naast het diagram."
    ) % {"count": len(rows), "first": _day(first), "last": _day(last), "steps": steps}
    return timeline_chart(
        chart_id="grafiek-ladder",
        title=_("Participatieladder per gesprek"),
        description=description,
        dates=[r.date for r in rows],
        series=[
            TimelineSeriesInput(name=_("huidige trede"), values=[r.current for r in rows]),
            TimelineSeriesInput(
                name=_("haalbare trede"),
                values=[r.potential for r in rows],
                dashed=True,
                marker="square",
            ),
        ],
        low=1,
        high=6,
        date_labels=[_short_day(r.date) for r in rows],
        highlights=[(i, _("grote stap vooruit")) for i, r in enumerate(rows) if r.big_step],
        width=640,
        height=260,
    )


# --- the conflict page: a value of ConversationInput or ProfileInput as short text ---------------

_CHOICE_LABELS: dict[str, dict[Any, Any]] = {
    "place": dict(ConversationPlace.choices),
    "participants": dict(ParticipantRole.choices),
    "work_readiness": dict(WorkReadiness.choices),
    "education_level": dict(EducationLevel.choices),
    "dutch_level": dict(LanguageLevel.choices),
    "preferred_sectors": dict(Sector.choices),
    "travel_means": dict(TravelMeans.choices),
    "driving_licences": dict(DrivingLicence.choices),
    "ladder_current": dict(LadderRung.choices),
    "ladder_potential": dict(LadderRung.choices),
}


def input_value_text(name: str, value: Any) -> str:
    """What the conflict page shows for one input (the stored one or the typed one)."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    if isinstance(value, dt.date):
        return _day(value)
    if name == "obstacles":
        severities = dict(Severity.choices)
        return "; ".join(
            str(OBSTACLE_LABELS.get(o["category"], o["category"]))
            + f" ({severities.get(o['severity'], o['severity'])}"
            + (f", {_('wordt aangepakt')}" if o["addressed"] else "")
            + ")"
            + (f": {o['note']}" if o["note"] else "")
            for o in value
        )
    if name == "help_needs":
        labels = dict(HelpCategory.choices)
        return "; ".join(
            str(labels.get(h["category"], h["category"])) + (f": {h['note']}" if h["note"] else "")
            for h in value
        )
    if name == "zrm":
        return ", ".join(f"{ZRM_LABELS.get(d, d)} {_score_label(s)}" for d, s in value.items())
    if name == "work_experience":
        return "; ".join(f"{isco_title(w['isco_code'])} ({w['isco_code']})" for w in value)
    if name == "preferred_occupations":
        return ", ".join(f"{isco_title(code)} ({code})" for code in value)
    if name == "other_languages":
        return ", ".join(language_name(code) for code in value)
    if name in _CHOICE_LABELS:
        labels = _CHOICE_LABELS[name]
        items = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(item, item)) for item in items)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return " ".join(str(value).split())
