"""Writes of the privacy app: consent (give, withdraw) and retention (export, erase, redact;
import files and old audit rows too).

Privacy sits below caseload: callers pass a client they already obtained through
``meedoen.caseload.access``; nothing here decides who may see a client.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.audit.selectors import audit_rows_unredacted_before
from meedoen.audit.services import (
    Origin,
    audit_record,
    audit_redact,
    audit_redact_before,
    subject_pseudonym,
)
from meedoen.clients.models import (
    Address,
    BenefitPeriod,
    Client,
    Household,
    HouseholdMembership,
    Residence,
)
from meedoen.privacy.constants import ConsentChannel, ConsentPurpose, DataCategory, ErasureKind
from meedoen.privacy.models import Consent, ErasureRecord
from meedoen.privacy.retention import (
    AUDIT_ROWS,
    CLIENT_FILE,
    SESSIONS,
    SweepOutcome,
    audit_rows_cutoff,
    clients_expired,
    retention_sweeps,
)
from meedoen.privacy.subject_access import subject_access_export_json

# Consent ----------------------------------------------------------------------------------------


def _actor_name(actor: Any) -> str:
    return (actor.get_username() if actor is not None else "")[:150]


def consent_give(
    *,
    actor: Any,
    client: Client,
    purpose: str,
    data_categories: list[str],
    organisation: str,
    organisation_code: str = "",
    channel: str,
    valid_until: dt.date | None,
    origin: Origin,
    organisation_id: Any = None,
) -> Consent:
    """Record a consent the client gave. Raises ValidationError (Dutch, per field) on bad input.

    `organisation_id`: the partners.Organisation of the registry the consent is for, when the
    caller chose one (it copies name and code from the registry); consents for an organisation
    outside the registry name it by `organisation` (and `organisation_code`) only."""
    errors: dict[str, list[Any]] = {}
    if purpose not in ConsentPurpose.values:
        errors.setdefault("purpose", []).append(_("Kies een doel uit de lijst."))
    categories = list(dict.fromkeys(data_categories))
    if not categories:
        errors.setdefault("data_categories", []).append(_("Kies ten minste één soort gegevens."))
    unknown = [c for c in categories if c not in DataCategory.values]
    if unknown:
        errors.setdefault("data_categories", []).append(
            _("Onbekende soort gegevens: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    organisation = organisation.strip()
    if not organisation:
        errors.setdefault("organisation", []).append(
            _("Vul de naam van de organisatie in die de gegevens krijgt.")
        )
    if channel not in ConsentChannel.values:
        errors.setdefault("channel", []).append(_("Kies hoe de toestemming is gegeven."))
    if valid_until is not None and valid_until < timezone.localdate():
        errors.setdefault("valid_until", []).append(
            _("De einddatum van de toestemming ligt in het verleden.")
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            client=client,
            purpose=purpose,
            data_categories=categories,
            organisation_name=organisation[:200],
            organisation_code=organisation_code.strip()[:32],
            organisation_id=organisation_id,
            given_at=timezone.now(),
            given_channel=channel,
            recorded_by=actor,
            recorded_by_name=_actor_name(actor),
            valid_until=valid_until,
        )
        audit_record(
            actor=actor,
            action="privacy.consent.give",
            origin=origin,
            obj=consent,
            subject_id=client.pk,
            purpose="consent",
            detail={"purpose": purpose, "data_categories": categories},
        )
    return consent


def consent_withdraw(*, actor: Any, consent: Consent, channel: str, origin: Origin) -> Consent:
    """Withdraw a consent, effective now: consent_check answers False from this moment on."""
    if channel not in ConsentChannel.values:
        raise ValidationError({"channel": [_("Kies hoe de toestemming is ingetrokken.")]})
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError(_("Deze toestemming is al ingetrokken."))
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_channel = channel
        locked.withdrawn_by_name = _actor_name(actor)
        locked.save(
            update_fields=["withdrawn_at", "withdrawn_channel", "withdrawn_by_name", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="privacy.consent.withdraw",
            origin=origin,
            obj=locked,
            subject_id=locked.client_id,
            purpose="consent",
            detail={"purpose": locked.purpose},
        )
    return locked


def consent_check(
    *,
    client: Client,
    purpose: str,
    organisation: str,
    data_category: str,
    at: dt.datetime | None = None,
) -> bool:
    """Whether the client consented, at `at` (now), to `purpose` for `data_category` with
    `organisation` (matched on its code, or else its name, case-insensitively)."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    organisation = organisation.strip()
    if not organisation:
        return False
    candidates = Consent.objects.filter(
        Q(organisation_code__iexact=organisation) | Q(organisation_name__iexact=organisation),
        client_id=client.pk,
        purpose=purpose,
        given_at__lte=at,
    ).filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at))
    # The categories are a JSON list: a handful of rows per client, checked here on both databases.
    return any(
        data_category in (c.data_categories or []) and c.is_valid_on(day, at) for c in candidates
    )


def consent_for_organisation(
    *,
    client: Client,
    purpose: str,
    data_categories: list[str],
    organisation_id: Any,
    organisation_code: str = "",
    at: dt.datetime | None = None,
) -> Consent | None:
    """The newest consent valid at `at` (now) for `purpose` that covers every one of
    `data_categories` and names the registered organisation: by the registry entry
    (Consent.organisation), or — for a consent without one — by the organisation's code when it
    has one. Never by name alone: a typed name is too loose for sharing (partners)."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    match = Q(organisation_id=organisation_id)
    code = organisation_code.strip()
    if code:
        match |= Q(organisation__isnull=True, organisation_code__iexact=code)
    candidates = (
        Consent.objects.filter(match, client_id=client.pk, purpose=purpose, given_at__lte=at)
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at))
        .order_by("-given_at")
    )
    wanted = set(data_categories)
    for consent in candidates:
        if wanted <= set(consent.data_categories or []) and consent.is_valid_on(day, at):
            return consent
    return None


# Retention --------------------------------------------------------------------------------------


@dataclass
class ErasureItem:
    pseudonym: str
    municipality_code: str
    rule: str
    counts: dict[str, int]
    export: dict[str, Any]
    audit_rows_redacted: int = 0


@dataclass
class RetentionReport:
    today: dt.date
    dry_run: bool
    items: list[ErasureItem] = field(default_factory=list)
    # Import files, audit rows: one outcome per rule, after the client files.
    sweeps: list[SweepOutcome] = field(default_factory=list)


def _client_counts(client: Client) -> dict[str, int]:
    return {
        "consents": Consent.objects.filter(client_id=client.pk).count(),
        "benefit_periods": BenefitPeriod.objects.filter(client_id=client.pk).count(),
        "household_memberships": HouseholdMembership.objects.filter(client_id=client.pk).count(),
        "clients": 1,
    }


def _client_erase(*, client: Client) -> dict[str, int]:
    """Delete the client's rows and what is left without them; return counts per kind."""
    counts = _client_counts(client)
    household_ids = set(
        HouseholdMembership.objects.filter(client_id=client.pk).values_list(
            "household_id", flat=True
        )
    )
    BenefitPeriod.objects.filter(client_id=client.pk).delete()
    HouseholdMembership.objects.filter(client_id=client.pk).delete()
    # Consents go with the client by cascade (counted above): a record of information shared
    # under a consent (partners) restricts deleting the consent alone, not both together.
    deleted = Client.objects.filter(pk=client.pk).delete()[1]
    # Rows of higher apps (conversations, …) go with the client by cascade; the receipt names them.
    for label, count in deleted.items():
        if label not in ("clients.Client", "privacy.Consent") and count:
            counts[label.lower()] = count
    # Households nobody belongs to any more, with their residences; then unused addresses.
    empty = list(
        Household.objects.filter(pk__in=household_ids)
        .exclude(pk__in=HouseholdMembership.objects.values("household_id"))
        .exclude(pk__in=Client.objects.filter(household__isnull=False).values("household_id"))
    )
    address_ids = {h.address_id for h in empty if h.address_id}
    address_ids |= set(
        Residence.objects.filter(household__in=empty).values_list("address_id", flat=True)
    )
    counts["households"] = (
        Household.objects.filter(pk__in=[h.pk for h in empty])
        .delete()[1]
        .get("clients.Household", 0)
    )
    unused = (
        Address.objects.filter(pk__in=address_ids)
        .exclude(pk__in=Residence.objects.values("address_id"))
        .exclude(pk__in=Household.objects.filter(address__isnull=False).values("address_id"))
    )
    counts["addresses"] = unused.delete()[1].get("clients.Address", 0)
    return counts


def retention_run(
    *, dry_run: bool, today: dt.date | None = None, actor: Any = None, channel: str = "task"
) -> RetentionReport:
    """Carry out every retention rule (privacy.retention.RULES) for `today`.

    1. Client files past their term: export, erase, receipt, redact. One transaction per client:
       a failure rolls that client back whole and stops the run; the clients erased before it
       stay erased (each with its receipt).
    2. The sweeps that higher apps registered (import files), in their own transactions.
    3. Audit rows past their term are redacted, in batches.
    A dry run reports what would be done and writes nothing (no audit row either).
    """
    today = today or timezone.localdate()
    report = RetentionReport(today=today, dry_run=dry_run)
    origin = Origin(channel=channel)
    client_ids = list(clients_expired(today=today).values_list("pk", flat=True))
    for client_id in client_ids:
        if dry_run:
            client = Client.objects.select_related("municipality").get(pk=client_id)
            report.items.append(
                ErasureItem(
                    pseudonym=subject_pseudonym(client.pk),
                    municipality_code=client.municipality.code,
                    rule=CLIENT_FILE.code,
                    counts=_client_counts(client),
                    export={},
                )
            )
            continue
        with transaction.atomic():
            # Checked again under the lock: an import may have reopened the file meanwhile.
            client = (
                Client.objects.select_for_update(of=("self",))
                .select_related("municipality")
                .get(pk=client_id)
            )
            if not clients_expired(today=today).filter(pk=client_id).exists():
                continue
            export = subject_access_export_json(client=client)
            # The same export a client gets on request (subject_access). Not kept: the file is
            # past its term and a copy would defeat the erasure; its size is recorded so the
            # receipt shows an export was made. An archive hand-over would hook in here.
            export_meta = {"format": "json", "bytes": len(export), "kept": False}
            pseudonym = subject_pseudonym(client.pk)
            municipality_code = client.municipality.code
            counts = _client_erase(client=client)
            redacted = audit_redact(
                subject_pseudonym=pseudonym, reason=f"retention:{CLIENT_FILE.code}"
            )
            record = ErasureRecord.objects.create(
                kind=ErasureKind.CLIENT,
                municipality_code=municipality_code,
                subject_pseudonym=pseudonym,
                rule=CLIENT_FILE.code,
                erased_on=today,
                counts=counts,
                export=export_meta,
                audit_rows_redacted=redacted,
            )
            audit_record(
                actor=actor,
                action="privacy.client.erase",
                origin=origin,
                obj=record,
                subject_id=client_id,
                purpose="retention",
                detail={"rule": CLIENT_FILE.code, "counts": counts},
                municipality_code=municipality_code,
            )
        report.items.append(
            ErasureItem(
                pseudonym=pseudonym,
                municipality_code=municipality_code,
                rule=CLIENT_FILE.code,
                counts=counts,
                export=export_meta,
                audit_rows_redacted=redacted,
            )
        )
    for _rule, sweep in retention_sweeps():
        report.sweeps.append(sweep(today=today, dry_run=dry_run, actor=actor, origin=origin))
    # Last: the rows of a client erased above are redacted first, under the client file's rule.
    report.sweeps.append(
        _audit_rows_sweep(today=today, dry_run=dry_run, actor=actor, origin=origin)
    )
    report.sweeps.append(_sessions_sweep(dry_run=dry_run))
    return report


def _sessions_sweep(*, dry_run: bool) -> SweepOutcome:
    """SESSIONS: an expired session is unusable but still holds its data (the session token of a
    search, for one) until something deletes it; Django leaves that to `clearsessions`."""
    engine = import_module(settings.SESSION_ENGINE)
    expired = 0
    # Sessions in the database table (Django's engine or ours, accounts.sessions) can be counted.
    if issubclass(engine.SessionStore, DatabaseSessionStore):
        expired = Session.objects.filter(expire_date__lt=timezone.now()).count()
    if not dry_run:
        engine.SessionStore.clear_expired()
    return SweepOutcome(
        rule=SESSIONS.code, per_municipality={"": expired} if expired else {}, lines=[]
    )


def _audit_rows_sweep(*, today: dt.date, dry_run: bool, actor: Any, origin: Origin) -> SweepOutcome:
    """AUDIT_ROWS: redact the rows older than 20 years; one audit row per chain that had any."""
    before = audit_rows_cutoff(today=today)
    if dry_run:
        counts = audit_rows_unredacted_before(before=before)
    else:
        redacted = audit_redact_before(before=before, reason=f"retention:{AUDIT_ROWS.code}")
        counts = {code: count for code, count in redacted.items() if count}
        for code, count in sorted(counts.items()):
            audit_record(
                actor=actor,
                action="audit.event.redact",
                origin=origin,
                purpose="retention",
                detail={"rule": AUDIT_ROWS.code, "before": before.isoformat(), "rows": count},
                municipality_code=code,
            )
    return SweepOutcome(
        rule=AUDIT_ROWS.code,
        per_municipality=counts,
        lines=[f"{code or '-'}: {count}" for code, count in sorted(counts.items())],
    )
