"""The data-subject access export (AVG art. 15): everything Meedoen holds about one client.

The caller has already obtained the client through the door (caseload.access or
caseload.access_privacy) and audited the export. This module only gathers and renders. It sits
below caseload and profiles in the layering, so those apps register their sections here
(`subject_access_section_register`, from their AppConfig.ready()): every export — on request or
before erasure — then holds all of them.

Other household members appear by name and role only: their own data is theirs, not this
person's. The BSN is given in full — it is the person's own data.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meedoen.audit.actions import audit_action_label
from meedoen.audit.selectors import audit_events_for_subject
from meedoen.clients.bsn import bsn_decrypt
from meedoen.clients.models import BenefitPeriod, Client, HouseholdMembership, Residence
from meedoen.core.iso import country_name, language_name

FORMAT = "meedoen.inzage.v1"

# The PDF's style sheet, given to WeasyPrint rather than inline in the template: no template of
# the project carries inline style (the web pages' Content-Security-Policy forbids it). The system
# sans (DejaVu Sans) is used: nothing is downloaded.
PDF_CSS = """
@page { size: A4; margin: 2cm 1.8cm;
  @bottom-right { content: "%(page)s " counter(page) " %(of)s " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #000; }
h1 { font-size: 18pt; margin: 0 0 0.4em; }
h2 { font-size: 13.5pt; margin: 1.4em 0 0.4em; border-bottom: 1px solid #555; }
h3 { font-size: 11.5pt; margin: 1em 0 0.3em; }
table { border-collapse: collapse; width: 100%%; margin: 0.4em 0 0.8em; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.2em; }
th, td { border: 1px solid #777; padding: 3pt 5pt; text-align: left; vertical-align: top; }
thead th { background: #e6e6e6; }
tbody th { font-weight: normal; }
"""

RESULT_LABELS: dict[str, Any] = {"allowed": _("toegestaan"), "denied": _("geweigerd")}


@dataclass(frozen=True)
class ExtraSection:
    """A section a higher layer adds (for example caseload: the contact persons).

    `columns` maps each row key to its Dutch column heading in the PDF.
    """

    title: str
    columns: Mapping[str, str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    intro: str = ""


SectionProvider = Callable[..., ExtraSection]  # called as provider(client=client)
_SECTIONS: dict[str, SectionProvider] = {}


def subject_access_section_register(key: str, provider: SectionProvider) -> None:
    """Add a section (under `key` in the JSON) to every export; registering again replaces it."""
    _SECTIONS[key] = provider


def _extra_sections(client: Client) -> dict[str, ExtraSection]:
    return {key: provider(client=client) for key, provider in _SECTIONS.items()}


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _name(client: Client) -> str:
    return client.full_name


def _overlaps(
    start: dt.date, end: dt.date | None, other_start: dt.date, other_end: dt.date | None
) -> bool:
    return (end is None or other_start <= end) and (other_end is None or start <= other_end)


def _personal_data(client: Client) -> dict[str, Any]:
    return {
        "client_number": client.client_number,
        "bsn": bsn_decrypt(client.bsn_encrypted),
        "first_names": client.first_names,
        "name_prefix": client.name_prefix,
        "surname": client.surname,
        "date_of_birth": _iso(client.date_of_birth),
        "gender": client.gender,
        "gender_label": str(client.get_gender_display()),
        "country_of_birth": client.country_of_birth,
        "country_of_birth_label": country_name(client.country_of_birth)
        if client.country_of_birth
        else "",
        "languages": list(client.languages or []),
        "languages_label": [language_name(code) for code in client.languages or []],
        "email": client.email,
        "phone": client.phone,
        # What the benefit administration last delivered, kept by the import to tell its news
        # from a correction by staff (docs/development/import.md). Data held about the person.
        "contact_as_delivered": {
            "email": client.delivered_email,
            "phone": client.delivered_phone,
            "languages": list(client.delivered_languages or []),
            "languages_label": [language_name(c) for c in client.delivered_languages or []],
        },
        "contact_corrected": (client.email, client.phone, list(client.languages or []))
        != (client.delivered_email, client.delivered_phone, list(client.delivered_languages or [])),
        "municipality": client.municipality.name,
        "registered_at": _iso(client.created_at),
    }


def _households(client: Client) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The households the client belonged to (with the others by name and role) and the
    addresses those households lived at while the client was a member."""
    memberships = list(
        HouseholdMembership.objects.filter(client=client)
        .select_related("household")
        .order_by("-start_date")
    )
    household_ids = {m.household_id for m in memberships}
    others: dict[Any, list[HouseholdMembership]] = {}
    for other in (
        HouseholdMembership.objects.filter(household_id__in=household_ids)
        .exclude(client=client)
        .select_related("client")
        .only(
            "household_id",
            "role",
            "start_date",
            "end_date",
            "client__first_names",
            "client__name_prefix",
            "client__surname",
        )
        .order_by("start_date")
    ):
        others.setdefault(other.household_id, []).append(other)
    residences = list(
        Residence.objects.filter(household_id__in=household_ids)
        .select_related("address", "household")
        .order_by("-start_date")
    )

    households = []
    for m in memberships:
        households.append(
            {
                "reference": m.household.reference,
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "start_date": _iso(m.start_date),
                "end_date": _iso(m.end_date),
                # Only who overlapped with this person in the household, by name and role.
                "other_members": [
                    {
                        "name": _name(o.client),
                        "role": o.role,
                        "role_label": str(o.get_role_display()),
                        "start_date": _iso(o.start_date),
                        "end_date": _iso(o.end_date),
                    }
                    for o in others.get(m.household_id, [])
                    if _overlaps(m.start_date, m.end_date, o.start_date, o.end_date)
                ],
            }
        )

    addresses = []
    for r in residences:
        if not any(
            m.household_id == r.household_id
            and _overlaps(m.start_date, m.end_date, r.start_date, r.end_date)
            for m in memberships
        ):
            continue
        a = r.address
        addresses.append(
            {
                "household_reference": r.household.reference,
                "street": a.street,
                "house_number": a.house_number_display,
                "postcode": a.postcode_display,
                "city": a.city,
                "district": a.district_name,
                "neighbourhood": a.neighbourhood_name,
                "start_date": _iso(r.start_date),
                "end_date": _iso(r.end_date),
            }
        )
    return households, addresses


def _benefit_periods(client: Client) -> list[dict[str, Any]]:
    return [
        {
            "benefit_type": p.benefit_type,
            "benefit_type_label": str(p.get_benefit_type_display()),
            "start_date": _iso(p.start_date),
            "end_date": _iso(p.end_date),
            "end_reason": p.end_reason,
            "end_reason_label": str(p.get_end_reason_display()) if p.end_reason else "",
        }
        for p in BenefitPeriod.objects.filter(client=client).order_by("-start_date")
    ]


def _consents(client: Client) -> list[dict[str, Any]] | None:
    """The client's consents, or None where the consent register is not installed."""
    try:
        consent_model = apps.get_model("privacy", "Consent")
    except LookupError:
        return None
    return [
        {
            "purpose": c.purpose,
            "purpose_label": str(c.get_purpose_display()),
            "data_categories": list(c.data_categories or []),
            "organisation": c.organisation_name,
            "given_at": _iso(c.given_at),
            "given_channel": c.given_channel,
            "given_channel_label": str(c.get_given_channel_display()),
            "recorded_by": c.recorded_by_name,
            "valid_until": _iso(c.valid_until),
            "withdrawn_at": _iso(c.withdrawn_at),
            "withdrawn_channel": c.withdrawn_channel,
            "withdrawn_by": c.withdrawn_by_name,
        }
        for c in consent_model.objects.filter(client=client).order_by("-given_at")
    ]


def _access_log(client: Client) -> list[dict[str, Any]]:
    # The municipality's own chain: who of the municipality opened, searched or tried to open
    # the file. Origin details (IP address, browser) are the staff member's data, not this
    # person's, and stay out.
    events = audit_events_for_subject(
        subject_id=client.pk, municipality_code=client.municipality.code
    ).only("at", "actor_name", "actor_role", "action", "purpose", "result")
    return [
        {
            "at": _iso(e.at),
            "by": e.actor_name,
            "role": e.actor_role,
            "action": e.action,
            "action_label": audit_action_label(e.action, for_subject=True),
            "purpose": e.purpose,
            "result": e.result,
            "result_label": str(RESULT_LABELS.get(e.result, e.result)),
        }
        for e in events.iterator(chunk_size=2000)
    ]


_DATE_KEYS = frozenset({"date_of_birth", "start_date", "end_date", "valid_until"})
_DATETIME_KEYS = frozenset({"at", "created_at", "registered_at", "given_at", "withdrawn_at"})


def _readable_dates(value: Any, key: str = "") -> Any:
    """The export with its ISO dates written out in Dutch ("3 maart 2024"), for the PDF."""
    if isinstance(value, dict):
        return {k: _readable_dates(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable_dates(v, key) for v in value]
    if isinstance(value, str) and value and key in _DATE_KEYS:
        return date_format(dt.date.fromisoformat(value), "j F Y")
    if isinstance(value, str) and value and key in _DATETIME_KEYS:
        return date_format(dt.datetime.fromisoformat(value), "j F Y, H:i")
    return value


def subject_access_export(
    *, client: Client, extra_sections: Mapping[str, ExtraSection] | None = None
) -> dict[str, Any]:
    """Everything about `client`, as JSON-ready data (ISO dates, codes with their Dutch label)."""
    if extra_sections is None:
        extra_sections = _extra_sections(client)
    households, addresses = _households(client)
    export: dict[str, Any] = {
        "format": FORMAT,
        "created_at": _iso(timezone.now()),
        "controller": {
            "municipality": client.municipality.name,
            "municipality_code": client.municipality.code,
        },
        "personal_data": _personal_data(client),
        "households": households,
        "addresses": addresses,
        "benefit_periods": _benefit_periods(client),
    }
    consents = _consents(client)
    if consents is not None:
        export["consents"] = consents
    for key, section in extra_sections.items():
        export[key] = section.rows
    export["access_log"] = _access_log(client)
    return export


def subject_access_export_json(*, client: Client) -> bytes:
    data = subject_access_export(client=client)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def subject_access_export_pdf(*, client: Client) -> bytes:
    """A tagged, accessible PDF (PDF/UA-1) in plain Dutch, for the person themselves."""
    # Imported here: WeasyPrint needs Pango, and a machine without it must still run Meedoen.
    from weasyprint import CSS, HTML

    with translation.override("nl"):
        extra_sections = _extra_sections(client)
        data = subject_access_export(client=client, extra_sections=extra_sections)
        data = _readable_dates(data)
        html = render_to_string(
            "privacy/subject_access.html",
            {
                "data": data,
                "person": data["personal_data"],
                "full_name": client.full_name,
                "created_at": timezone.localtime(),
                "extra_sections": [
                    {
                        "title": section.title,
                        "intro": section.intro,
                        "columns": list(section.columns.values()),
                        "rows": [
                            [row.get(key) or "—" for key in section.columns]
                            for row in _readable_dates(section.rows)
                        ],
                    }
                    for section in extra_sections.values()
                ],
            },
        )
        css = PDF_CSS % {"page": _("Pagina"), "of": _("van")}
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=css)], pdf_variant="pdf/ua-1")
    return pdf
