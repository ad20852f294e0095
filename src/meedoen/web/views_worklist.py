"""The coach's work: "Mijn werk" on the start page and the caseload list (/mijn-caseload/).

Data only through caseload.worklist, which is ANDed with the one door (caseload.access). Each list
shown is one audit row ("caseload.worklist.read") with the number of households and the names of
the filters used, like the client list.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from meedoen.accounts.constants import Role
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import actor_may_do_casework
from meedoen.caseload.constants import ContactKind, Intensity
from meedoen.caseload.worklist import (
    Moment,
    Signal,
    Sort,
    WorklistRow,
    members_by_household,
    team_coaches,
    upcoming_appointments,
    worklist_build,
    worklist_rows,
)
from meedoen.plans.selectors import REVIEW_DUE_DAYS, reviews_due_among
from meedoen.web.forms_worklist import WorklistFilterForm

PAGE_SIZE = 50
HOME_LIST_SIZE = 10


_ANY_ID = uuid.UUID(int=0)


def _household_urls(name: str = "web:household_detail") -> Callable[[Any], str]:
    """A household's page URL for any id: reverse() once, not once per row (each call cost
    ~0.1 ms, 5 ms for a page of 50 rows)."""
    template = reverse(name, kwargs={"household_id": _ANY_ID})
    return lambda household_id: template.replace(str(_ANY_ID), str(household_id))


def _with_links(rows: list[WorklistRow]) -> list[WorklistRow]:
    """Everything a row shows, as ready text (see WorklistRow)."""
    url = _household_urls()
    # get_intensity_display() rebuilds the choices per call; one lookup table per page instead.
    intensities = {value: str(label) for value, label in Intensity.choices}
    for row in rows:
        row.url = url(row.household_id)
        row.names = ", ".join(m.name for m in row.members) or row.reference
        row.district = row.district or "—"
        row.intensity_label = intensities.get(row.intensity, row.intensity)
        row.last_contact_text = _day(row.last_contact)
        row.weeks_ago_text = (
            ngettext("%(weeks)s week geleden", "%(weeks)s weken geleden", row.weeks_since_contact)
            % {"weeks": row.weeks_since_contact}
            if row.weeks_since_contact is not None
            else ""
        )
        row.next_appointment_text = _day(row.next_appointment, with_time=True)
    return rows


def _day(moment: dt.datetime | None, *, with_time: bool = False) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M" if with_time else "%d-%m-%Y")


def _audit(request: HttpRequest, *, view: str, count: int, filters: list[str]) -> None:
    audit_record(
        actor=request.user,
        action="caseload.worklist.read",
        origin=Origin.from_request(request),
        purpose="casework",
        detail={"view": view, "count": count, "filters": sorted(filters)},
    )


def home_worklist_context(request: HttpRequest) -> dict[str, Any]:
    """The "Mijn werk" part of the start page, for a casework role."""
    actor = request.user
    moment = Moment.current()
    worklist = worklist_build(actor=actor, moment=moment)
    counts = worklist.counts()
    # Both lists from one fetch of their rows.
    longest_entries = worklist.filtered()[:HOME_LIST_SIZE]
    new_entries = worklist.filtered(signal=Signal.NEW)[:HOME_LIST_SIZE]
    rows = {
        row.entry.assignment_id: row
        for row in _with_links(worklist_rows(longest_entries + new_entries, moment=moment))
    }
    longest = [rows[e.assignment_id] for e in longest_entries if e.assignment_id in rows]
    new = [rows[e.assignment_id] for e in new_entries if e.assignment_id in rows]
    appointments = upcoming_appointments(worklist=worklist)
    household_url = _household_urls()
    kinds = {value: str(label).lower() for value, label in ContactKind.choices}
    upcoming = [
        {
            "starts_at": appointment.starts_at,
            "is_today": appointment.starts_at < moment.start_of_tomorrow,
            "names": ", ".join(m.name for m in appointment.members) or appointment.reference,
            "url": household_url(appointment.household_id),
            "kind": kinds.get(appointment.kind, appointment.kind),
            "location": appointment.location,
        }
        for appointment in appointments
    ]
    # The review schedule of the plans (issue 6), among the work list's households.
    due = reviews_due_among(worklist.household_ids, today=moment.today)
    shown_reviews = due[:HOME_LIST_SIZE]
    review_members = members_by_household(r.household_id for r in shown_reviews)
    plan_url = _household_urls("web:plan_detail")
    reviews = [
        {
            "due": review.next_review_on,
            "overdue": review.next_review_on < moment.today,
            "names": ", ".join(m.name for m in review_members.get(review.household_id, []))
            or review.reference,
            "url": plan_url(review.household_id),
        }
        for review in shown_reviews
    ]
    households = (
        {row.household_id for row in longest + new}
        | {a.household_id for a in appointments}
        | {r.household_id for r in shown_reviews}
    )
    _audit(request, view="home", count=len(households), filters=[])
    caseload_url = reverse("web:my_caseload")
    signals = [
        {
            "code": code,
            "label": Signal.LABELS[code],
            "count": counts[code],
            "url": f"{caseload_url}?{urlencode({'signaal': code})}",
        }
        for code in Signal.ALL
    ]
    is_lead = getattr(actor, "role", "") == Role.TEAM_LEAD
    return {
        "worklist": {
            "total": counts["total"],
            "signals": signals,
            "appointments": upcoming,
            "reviews": reviews,
            "reviews_total": len(due),
            "review_days": REVIEW_DUE_DAYS,
            "new": new,
            "longest": longest,
            "caseload_url": caseload_url,
            "team_url": reverse("web:caseload_team") if is_lead else None,
            "queue_url": reverse("web:assignment_queue") if is_lead else None,
        }
    }


@login_required
@require_GET
def my_caseload(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not actor_may_do_casework(actor):
        raise Http404
    coaches = list(team_coaches(actor=actor))
    form = WorklistFilterForm(request.GET or None, coaches=coaches)
    cleaned: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        cleaned = {name: value for name, value in form.cleaned_data.items() if value}
    signal = cleaned.get("signaal")
    sort = cleaned.get("sorteer", Sort.OLDEST_CONTACT)
    coach_id = int(cleaned["klantregisseur"]) if cleaned.get("klantregisseur") else None

    moment = Moment.current()
    worklist = worklist_build(actor=actor, coach_id=coach_id, moment=moment)
    counts = worklist.counts()
    page = Paginator(worklist.filtered(signal=signal, sort=sort), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    rows = _with_links(worklist_rows(list(page.object_list), moment=moment))
    _audit(request, view="caseload", count=len(rows), filters=list(cleaned))

    base = {k: v for k, v in cleaned.items() if k != "signaal"}
    signal_links = [
        {
            "code": code,
            "label": Signal.LABELS[code],
            "count": counts[code],
            "url": "?" + urlencode({**base, "signaal": code}),
            "current": code == signal,
        }
        for code in Signal.ALL
    ]
    return render(
        request,
        "web/my_caseload.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "query": urlencode(cleaned) + "&" if cleaned else "",
            "counts": counts,
            "signal": signal,
            "signal_label": Signal.LABELS.get(signal or ""),
            "signal_links": signal_links,
            "all_url": "?" + urlencode(base) if base else "?",
            "sort": sort,
            "is_lead": bool(coaches),
            "now": moment.now,
        },
    )
