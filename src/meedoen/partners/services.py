"""Writes of the partner registry, of involvements with a household, and of information shared.

- Registry (organisations, people there): the functional admin and the team lead of the
  municipality (selectors.actor_may_manage_partners). Nothing is ever deleted: an organisation or
  person leaves the lists by being made inactive; involvements keep pointing at it.
- Involvements: the caller obtained the household (or the involvement's household) through
  ``caseload.access`` — partners may not import caseload, so the door is the caller's. This module
  checks what it can see from here: a casework role of the household's municipality, an
  organisation of that municipality, a member who belongs to the household now, a contact person
  of that organisation.
- Sharing: only under a valid partner-sharing consent of the client for that organisation that
  covers every category shared. A refusal is audited too. The record says what was shared; the
  sending itself happens outside Meedoen (telephone, secure mail), docs/partners.md.

Every write validates first (ValidationError per field, Dutch), writes nothing on error, runs in
one transaction and leaves an audit row without free text. Edits are guarded by the version the
user saw (core/concurrency.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.constants import CASEWORK_ROLES
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.clients.models import Client, Household
from meedoen.core.concurrency import version_check, versioned_update
from meedoen.partners.constants import InvolvementTopic, OrganisationKind
from meedoen.partners.models import InformationShare, Involvement, Organisation, PartnerPerson
from meedoen.partners.selectors import actor_may_manage_partners, consent_matches
from meedoen.privacy.constants import ConsentPurpose, DataCategory
from meedoen.privacy.services import consent_for_organisation

PURPOSE = "casework"
Errors = dict[str, list[Any]]

ORGANISATION_FIELDS = ("name", "kind", "code", "phone", "email", "website", "note", "is_active")
PERSON_FIELDS = ("name", "job_title", "phone", "email", "is_active")
INVOLVEMENT_FIELDS = ("client", "person", "topic", "note", "start_date")


class NotAllowed(PermissionError):
    """The actor may not do this at all (the caller answers 404)."""


def _actor_name(actor: Any) -> str:
    return (actor.get_username() if actor is not None else "")[:150]


def _require_manager(actor: Any) -> None:
    if not actor_may_manage_partners(actor):
        raise NotAllowed


def _require_caseworker(actor: Any, household: Household) -> None:
    if (
        actor is None
        or not getattr(actor, "is_active", False)
        or actor.role not in CASEWORK_ROLES
        or actor.municipality_id != household.municipality_id
    ):
        raise NotAllowed


def _add(errors: Errors, name: str, message: Any) -> None:
    errors.setdefault(name, []).append(message)


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


# Registry ---------------------------------------------------------------------------------------


def _organisation_values(
    *, municipality_id: Any, data: dict[str, Any], exclude_pk: Any = None
) -> dict[str, Any]:
    errors: Errors = {}
    values: dict[str, Any] = {
        "name": _text(data.get("name"))[:200],
        "kind": data.get("kind") or "",
        "code": _text(data.get("code")).upper(),
        "phone": _text(data.get("phone")),
        "email": _text(data.get("email")).lower(),
        "website": _text(data.get("website")),
        "note": str(data.get("note") or "").strip(),
        "is_active": bool(data.get("is_active", True)),
    }
    others = Organisation.objects.filter(municipality_id=municipality_id).exclude(pk=exclude_pk)
    if not values["name"]:
        _add(errors, "name", _("Vul de naam van de organisatie in."))
    elif others.filter(name__iexact=values["name"]).exists():
        _add(errors, "name", _("Er staat al een organisatie met deze naam in het register."))
    if values["kind"] not in OrganisationKind.values:
        _add(errors, "kind", _("Kies een soort organisatie uit de lijst."))
    if len(values["code"]) > 32:
        _add(errors, "code", _("De code is te lang: hoogstens 32 tekens."))
    elif values["code"] and others.filter(code__iexact=values["code"]).exists():
        _add(errors, "code", _("Een andere organisatie heeft deze code al."))
    if len(values["phone"]) > 20:
        _add(errors, "phone", _("Het telefoonnummer is te lang: hoogstens 20 tekens."))
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            _add(errors, "email", _("Vul een geldig e-mailadres in, zoals info@voorbeeld.nl."))
    if values["website"]:
        try:
            URLValidator(schemes=["https", "http"])(values["website"])
        except ValidationError:
            _add(errors, "website", _("Vul een webadres in dat begint met https://."))
    if errors:
        raise ValidationError(errors)
    return values


def organisation_create(*, actor: Any, data: dict[str, Any], origin: Origin) -> Organisation:
    """Register an organisation in the actor's municipality."""
    _require_manager(actor)
    values = _organisation_values(municipality_id=actor.municipality_id, data=data)
    with transaction.atomic():
        organisation = Organisation.objects.create(municipality_id=actor.municipality_id, **values)
        audit_record(
            actor=actor,
            action="partners.organisation.create",
            origin=origin,
            obj=organisation,
            purpose="registry",
            detail={"kind": organisation.kind},
        )
    return organisation


def organisation_update(
    *,
    actor: Any,
    organisation: Organisation,
    expected_version: int,
    data: dict[str, Any],
    origin: Origin,
) -> list[str]:
    """Change an organisation (also: make it inactive, or active again). Returns changed fields.

    Never deleted: involvements and consents keep pointing at it.
    """
    _require_manager(actor)
    if organisation.municipality_id != actor.municipality_id:
        raise NotAllowed
    version_check(organisation, expected_version)
    merged = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS} | data
    values = _organisation_values(
        municipality_id=organisation.municipality_id, data=merged, exclude_pk=organisation.pk
    )
    changed = {k: v for k, v in values.items() if getattr(organisation, k) != v}
    if not changed:
        return []
    with transaction.atomic():
        versioned_update(organisation, expected_version=expected_version, values=changed)
        audit_record(
            actor=actor,
            action="partners.organisation.update",
            origin=origin,
            obj=organisation,
            purpose="registry",
            detail={"fields": sorted(changed), "version": organisation.version},
        )
    return sorted(changed)


def _person_values(data: dict[str, Any]) -> dict[str, Any]:
    errors: Errors = {}
    values: dict[str, Any] = {
        "name": _text(data.get("name"))[:150],
        "job_title": _text(data.get("job_title")),
        "phone": _text(data.get("phone")),
        "email": _text(data.get("email")).lower(),
        "is_active": bool(data.get("is_active", True)),
    }
    if not values["name"]:
        _add(errors, "name", _("Vul de naam van de contactpersoon in."))
    if len(values["job_title"]) > 100:
        _add(errors, "job_title", _("De functie is te lang: hoogstens 100 tekens."))
    if len(values["phone"]) > 20:
        _add(errors, "phone", _("Het telefoonnummer is te lang: hoogstens 20 tekens."))
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            _add(errors, "email", _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."))
    if errors:
        raise ValidationError(errors)
    return values


def person_create(
    *, actor: Any, organisation: Organisation, data: dict[str, Any], origin: Origin
) -> PartnerPerson:
    _require_manager(actor)
    if organisation.municipality_id != actor.municipality_id:
        raise NotAllowed
    values = _person_values(data)
    with transaction.atomic():
        person = PartnerPerson.objects.create(organisation=organisation, **values)
        audit_record(
            actor=actor,
            action="partners.person.create",
            origin=origin,
            obj=person,
            purpose="registry",
            detail={"organisation": str(organisation.pk)},
        )
    return person


def person_update(
    *,
    actor: Any,
    person: PartnerPerson,
    expected_version: int,
    data: dict[str, Any],
    origin: Origin,
) -> list[str]:
    _require_manager(actor)
    if person.organisation.municipality_id != actor.municipality_id:
        raise NotAllowed
    version_check(person, expected_version)
    merged = {name: getattr(person, name) for name in PERSON_FIELDS} | data
    values = _person_values(merged)
    changed = {k: v for k, v in values.items() if getattr(person, k) != v}
    if not changed:
        return []
    with transaction.atomic():
        versioned_update(person, expected_version=expected_version, values=changed)
        audit_record(
            actor=actor,
            action="partners.person.update",
            origin=origin,
            obj=person,
            purpose="registry",
            detail={
                "organisation": str(person.organisation_id),
                "fields": sorted(changed),
                "version": person.version,
            },
        )
    return sorted(changed)


# Involvements -----------------------------------------------------------------------------------


def _involvement_values(
    *,
    household: Household,
    organisation: Organisation,
    data: dict[str, Any],
    today: dt.date,
) -> dict[str, Any]:
    """Check the parts of an involvement; `data` holds client, person (objects or None), topic,
    note, start_date."""
    errors: Errors = {}
    client: Client | None = data.get("client")
    person: PartnerPerson | None = data.get("person")
    start_date: dt.date | None = data.get("start_date")
    values = {
        "client": client,
        "person": person,
        "topic": data.get("topic") or "",
        "note": str(data.get("note") or "").strip(),
        "start_date": start_date,
    }
    if client is not None and client.household_id != household.pk:
        _add(errors, "client", _("Kies iemand die nu tot dit huishouden hoort."))
    if person is not None and person.organisation_id != organisation.pk:
        _add(errors, "person", _("Deze contactpersoon werkt niet bij de gekozen organisatie."))
    if values["topic"] not in InvolvementTopic.values:
        _add(errors, "topic", _("Kies waarvoor de organisatie betrokken is."))
    if start_date is None:
        _add(errors, "start_date", _("Vul in vanaf wanneer de organisatie betrokken is."))
    elif start_date > today:
        _add(errors, "start_date", _("De begindatum ligt in de toekomst."))
    if errors:
        raise ValidationError(errors)
    return values


def involvement_add(
    *,
    actor: Any,
    household: Household,
    organisation: Organisation | None,
    data: dict[str, Any],
    origin: Origin,
) -> Involvement:
    """Record that an organisation is involved with the household (the caller passed the door)."""
    _require_caseworker(actor, household)
    today = timezone.localdate()
    if organisation is None or organisation.municipality_id != household.municipality_id:
        raise ValidationError({"organisation": [_("Kies een organisatie uit het register.")]})
    if not organisation.is_active:
        raise ValidationError(
            {"organisation": [_("Deze organisatie is niet meer actief in het register.")]}
        )
    person = data.get("person")
    if person is not None and not person.is_active:
        raise ValidationError({"person": [_("Deze contactpersoon is niet meer actief.")]})
    values = _involvement_values(
        household=household, organisation=organisation, data=data, today=today
    )
    with transaction.atomic():
        involvement = Involvement.objects.create(
            household=household,
            organisation=organisation,
            recorded_by=actor,
            **values,
        )
        audit_record(
            actor=actor,
            action="partners.involvement.create",
            origin=origin,
            obj=involvement,
            subject_id=involvement.client_id,
            purpose=PURPOSE,
            detail={
                "household": str(household.pk),
                "organisation": str(organisation.pk),
                "topic": involvement.topic,
            },
        )
    return involvement


def involvement_update(
    *,
    actor: Any,
    involvement: Involvement,
    expected_version: int,
    data: dict[str, Any],
    origin: Origin,
) -> list[str]:
    """Change who, for what, the contact person or the note of an active involvement."""
    household = involvement.household
    _require_caseworker(actor, household)
    version_check(involvement, expected_version)
    if involvement.end_date is not None:
        raise ValidationError(
            _("Deze betrokkenheid is beëindigd en kan niet meer worden gewijzigd.")
        )
    merged = {name: getattr(involvement, name) for name in INVOLVEMENT_FIELDS} | data
    values = _involvement_values(
        household=household,
        organisation=involvement.organisation,
        data=merged,
        today=timezone.localdate(),
    )
    changed = {k: v for k, v in values.items() if getattr(involvement, k) != v}
    if not changed:
        return []
    with transaction.atomic():
        versioned_update(involvement, expected_version=expected_version, values=changed)
        audit_record(
            actor=actor,
            action="partners.involvement.update",
            origin=origin,
            obj=involvement,
            subject_id=involvement.client_id,
            purpose=PURPOSE,
            detail={
                "household": str(household.pk),
                "fields": sorted(changed),
                "version": involvement.version,
            },
        )
    return sorted(changed)


def involvement_end(
    *,
    actor: Any,
    involvement: Involvement,
    expected_version: int,
    end_date: dt.date | None,
    origin: Origin,
) -> Involvement:
    """End an involvement on `end_date` (not in the future, not before it started)."""
    household = involvement.household
    _require_caseworker(actor, household)
    version_check(involvement, expected_version)
    if involvement.end_date is not None:
        raise ValidationError({"end_date": [_("Deze betrokkenheid is al beëindigd.")]})
    if end_date is None:
        raise ValidationError({"end_date": [_("Vul in tot wanneer de organisatie betrokken was.")]})
    if end_date > timezone.localdate():
        raise ValidationError({"end_date": [_("De einddatum ligt in de toekomst.")]})
    if end_date < involvement.start_date:
        raise ValidationError({"end_date": [_("De einddatum ligt voor de begindatum.")]})
    with transaction.atomic():
        versioned_update(
            involvement, expected_version=expected_version, values={"end_date": end_date}
        )
        audit_record(
            actor=actor,
            action="partners.involvement.end",
            origin=origin,
            obj=involvement,
            subject_id=involvement.client_id,
            purpose=PURPOSE,
            detail={
                "household": str(household.pk),
                "organisation": str(involvement.organisation_id),
            },
        )
    return involvement


# Sharing ----------------------------------------------------------------------------------------


def information_share_record(
    *,
    actor: Any,
    involvement: Involvement,
    client: Client,
    data_categories: list[str],
    summary: str,
    origin: Origin,
) -> InformationShare:
    """Record that case information of `client` was shared with the involved organisation.

    Refused (ValidationError on "consent", and an audit row "partners.share.refused") unless the
    client has a valid partner-sharing consent for that organisation covering every category.
    The audit row names the organisation and the categories, never the summary.
    """
    household = involvement.household
    _require_caseworker(actor, household)
    organisation = involvement.organisation
    errors: Errors = {}
    categories = list(dict.fromkeys(data_categories))
    summary = str(summary or "").strip()
    if involvement.end_date is not None:
        _add(errors, "involvement", _("Deze betrokkenheid is beëindigd: er wordt niets gedeeld."))
    if client.household_id != household.pk:
        _add(errors, "client", _("Kies iemand die nu tot dit huishouden hoort."))
    if not categories:
        _add(errors, "data_categories", _("Kies ten minste één soort gegevens."))
    elif any(c not in DataCategory.values for c in categories):
        _add(errors, "data_categories", _("Kies soorten gegevens uit de lijst."))
    if not summary:
        _add(
            errors,
            "summary",
            _(
                "Beschrijf kort wat u deelt (bijvoorbeeld: het adres en de "
                "lopende betalingsregelingen)."
            ),
        )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    consent = consent_for_organisation(
        client=client,
        purpose=ConsentPurpose.PARTNER_SHARING,
        data_categories=categories,
        organisation_id=organisation.pk,
        organisation_code=organisation.code,
        at=now,
    )
    detail = {"organisation": str(organisation.pk), "data_categories": categories}
    if consent is None or not consent_matches(consent, organisation):
        # Outside any transaction of ours: the refusal stays on record although nothing is written.
        audit_record(
            actor=actor,
            action="partners.share.refused",
            origin=origin,
            obj=involvement,
            subject_id=client.pk,
            purpose=PURPOSE,
            result=Result.DENIED,
            detail=detail,
        )
        raise ValidationError(
            {
                "consent": [
                    _(
                        "Delen mag niet: %(name)s heeft geen geldige toestemming gegeven om deze "
                        "gegevens te delen met %(organisation)s. Leg eerst de toestemming vast "
                        "(doel: gegevens delen met een partnerorganisatie, voor precies deze "
                        "organisatie en alle gekozen soorten gegevens)."
                    )
                    % {"name": client.full_name, "organisation": organisation.name}
                ]
            }
        )
    with transaction.atomic():
        share = InformationShare.objects.create(
            involvement=involvement,
            client=client,
            consent=consent,
            data_categories=categories,
            summary=summary,
            shared_at=now,
            shared_by=actor,
            shared_by_name=_actor_name(actor),
        )
        audit_record(
            actor=actor,
            action="partners.share.create",
            origin=origin,
            obj=share,
            subject_id=client.pk,
            purpose=PURPOSE,
            detail=detail | {"consent": str(consent.pk)},
        )
    return share
