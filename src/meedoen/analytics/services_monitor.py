"""The analyst's programme monitor (issue 7): read it, download it, set the yearly target.

All three are for the analyst only (404 for anyone else, the refusal audited) and audited with
what was asked — period, breakdown, horizon, format — never anything about a client.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.analytics.constants import MIN_CELL
from meedoen.analytics.models import MonitorTarget
from meedoen.analytics.monitor import Monitor, MonitorRow, monitor
from meedoen.analytics.services import CONTENT_TYPES, _require_analyst
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import analysis_population

MONITOR_PURPOSE = "analytics.monitor"


@dataclass(frozen=True)
class MonitorQuery:
    period_start: dt.date
    period_end: dt.date
    dimension: str
    horizon: int

    def detail(self) -> dict[str, Any]:
        return {
            "van": self.period_start.isoformat(),
            "tot": self.period_end.isoformat(),
            "indeling": self.dimension,
            "termijn": self.horizon,
        }


def _targets(municipality_id: Any) -> dict[int, int]:
    return dict(
        MonitorTarget.objects.filter(municipality_id=municipality_id).values_list(
            "year", "to_work_target"
        )
    )


def _compute(*, actor: Any, query: MonitorQuery, reference_date: dt.date | None) -> Monitor:
    return monitor(
        population=analysis_population(actor=actor),
        municipality_id=actor.municipality_id,
        period_start=query.period_start,
        period_end=query.period_end,
        dimension=query.dimension,
        horizon=query.horizon,
        reference_date=reference_date or timezone.localdate(),
        targets=_targets(actor.municipality_id),
    )


def monitor_read(
    *, actor: Any, origin: Origin, query: MonitorQuery, reference_date: dt.date | None = None
) -> Monitor:
    """The monitor for the analyst's municipality, audited as analytics.monitor.read."""
    action = "analytics.monitor.read"
    _require_analyst(actor=actor, action=action, origin=origin, purpose=MONITOR_PURPOSE)
    result = _compute(actor=actor, query=query, reference_date=reference_date)
    audit_record(
        actor=actor, action=action, origin=origin, purpose=MONITOR_PURPOSE, detail=query.detail()
    )
    return result


def monitor_access_check(*, actor: Any, origin: Origin, action: str) -> None:
    """For a request refused before the service runs (a bad filter): still 404 for non-analysts."""
    _require_analyst(actor=actor, action=action, origin=origin, purpose=MONITOR_PURPOSE)


@dataclass(frozen=True)
class MonitorFile:
    content: bytes
    content_type: str
    file_name: str


def monitor_export(
    *,
    actor: Any,
    origin: Origin,
    query: MonitorQuery,
    file_format: str,
    reference_date: dt.date | None = None,
) -> MonitorFile:
    """Exactly the tables of the page, as shown (suppressed), as CSV or XLSX."""
    action = "analytics.monitor.export"
    _require_analyst(actor=actor, action=action, origin=origin, purpose=MONITOR_PURPOSE)
    if file_format not in CONTENT_TYPES:
        raise Http404
    result = _compute(actor=actor, query=query, reference_date=reference_date)
    sheets = monitor_sheets(result)
    content = _csv(sheets) if file_format == "csv" else _xlsx(sheets, result)
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        purpose=MONITOR_PURPOSE,
        detail={**query.detail(), "format": file_format},
    )
    code = actor.municipality.code
    return MonitorFile(
        content=content,
        content_type=CONTENT_TYPES[file_format],
        file_name=(
            f"meedoen-monitor-{code}-{query.dimension}-{query.horizon}m-"
            f"{result.reference_date.isoformat()}.{file_format}"
        ),
    )


def _row_values(row: MonitorRow) -> list[str]:
    values = [str(row.category.label), row.reach.label, row.participants.label]
    values.append(row.measurable.label)
    for cell in row.indicators:
        values += [
            cell.text,
            cell.count.label if cell.detail else "",
            cell.base.label if cell.detail else "",
        ]
    return values


def monitor_sheets(result: Monitor) -> list[tuple[str, list[list[str]]]]:
    """The page's two tables as rows of text, exactly as the page shows them (suppressed)."""
    header = [
        str(result.dimension_label),
        _("Cohort"),
        _("Deelnemers"),
        _("Te meten na %(months)s maanden") % {"months": result.horizon},
    ]
    for indicator in result.indicators:
        benchmark = (
            f" ({_('praktijk')}: {indicator.benchmark_percent}%)"
            if indicator.benchmark_percent is not None
            else ""
        )
        header += [
            f"{indicator.label}{benchmark}",
            f"{indicator.label}: {_('aantal')}",
            f"{indicator.label}: {_('van')}",
        ]
    indicators = [header] + [_row_values(r) for r in [*result.rows, result.total]]
    to_work = [[_("Jaar"), _("Naar werk uit de bijstand"), _("Doel"), _("Verschil")]]
    for year in result.to_work:
        to_work.append(
            [
                f"{year.year}{' ' + _('(tot nu)') if year.partial else ''}",
                year.count.label,
                "" if year.target is None else str(year.target),
                "" if year.difference is None else f"{year.difference:+d}",
            ]
        )
    return [(_("Indicatoren"), indicators), (_("Naar werk"), to_work)]


def _about(result: Monitor) -> list[list[str]]:
    return [
        [_("Bereikt vanaf"), result.period_start.isoformat()],
        [_("Tot en met"), result.period_end.isoformat()],
        [_("Indeling"), str(result.dimension_label)],
        [_("Termijn"), _("%(months)s maanden") % {"months": result.horizon}],
        [_("Peildatum"), result.reference_date.isoformat()],
        [
            _("Let op"),
            _(
                "Aantallen kleiner dan %(min)s staan er als “< %(min)s”, “x” is verborgen zodat "
                "een klein aantal niet is terug te rekenen. Definities: docs/monitor.md."
            )
            % {"min": MIN_CELL},
        ],
    ]


def _csv(sheets: list[tuple[str, list[list[str]]]]) -> bytes:
    """UTF-8 with BOM and `;`, like the dataset; the two tables one after the other."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for number, (title, rows) in enumerate(sheets):
        if number:
            writer.writerow([])
        writer.writerow([title])
        writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(sheets: list[tuple[str, list[list[str]]]], result: Monitor) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        header = []
        for value in rows[0]:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows[1:]:
            sheet.append(row)
    about = workbook.create_sheet(_("Toelichting"))
    for row in _about(result):
        about.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TargetError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def monitor_target_set(
    *, actor: Any, origin: Origin, year: int, to_work_target: int
) -> MonitorTarget:
    """Set (or change) the year's "naar werk" target of the analyst's municipality. Audited as
    analytics.monitor_target.update with the year and the old and new figure."""
    action = "analytics.monitor_target.update"
    _require_analyst(actor=actor, action=action, origin=origin, purpose=MONITOR_PURPOSE)
    errors: dict[str, str] = {}
    if not 2000 <= year <= 2100:
        errors["jaar"] = _("Jaar: kies een jaar tussen 2000 en 2100.")
    if not 0 <= to_work_target <= 1_000_000:
        errors["doel"] = _("Doel: vul een aantal in van 0 tot 1.000.000.")
    if errors:
        raise TargetError(errors)
    with transaction.atomic():
        current = (
            MonitorTarget.objects.select_for_update()
            .filter(municipality_id=actor.municipality_id, year=year)
            .first()
        )
        old = current.to_work_target if current else None
        if current is None:
            current = MonitorTarget.objects.create(
                municipality_id=actor.municipality_id,
                year=year,
                to_work_target=to_work_target,
                set_by=actor,
                set_by_name=actor.get_full_name() or actor.get_username(),
            )
        else:
            current.to_work_target = to_work_target
            current.set_by = actor
            current.set_by_name = actor.get_full_name() or actor.get_username()
            current.save(update_fields=["to_work_target", "set_by", "set_by_name", "updated_at"])
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            purpose=MONITOR_PURPOSE,
            detail={"jaar": year, "oud": old, "nieuw": to_work_target},
        )
    return current
