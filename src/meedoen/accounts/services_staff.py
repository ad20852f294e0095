"""Writes for user management by the functional admin: staff accounts and teams.

The rules (docs/admin.md):

- The actor is an active functional admin, and every account and team is of their own
  municipality; never an installation administrator (superuser or Django-admin staff). The views
  check this first (404); the services check it again.
- Nobody can grant superuser or Django-admin rights here. A functional admin cannot change their
  own role, deactivate themselves, reset their own second factor or password (lock-out).
- A coach or team lead belongs to a team of the municipality.
- An account that still holds work (a caseload; `selectors_staff.OpenWork`) is neither
  deactivated nor moved out of casework: the work is handed over first.
- Accounts are never deleted: audit rows and assignments refer to them. Deactivating ends every
  session at once (Django refuses inactive users).
- Edits carry the version they showed (core/concurrency.py); nothing is written on bad input or a
  conflict. Every write is audited with the names of the fields it changed, never their values.
- A new account gets no password: the admin hands over a one-time link to set one
  (`password_link_token`), valid for PASSWORD_RESET_TIMEOUT and void once used.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts.constants import CASEWORK_ROLES, STAFF_ROLES
from meedoen.accounts.models import Team, User
from meedoen.accounts.selectors_staff import actor_may_manage_staff, staff_open_work
from meedoen.audit.services import Origin, audit_record
from meedoen.core.concurrency import version_check, versioned_update

# Django's own rule for usernames (UnicodeUsernameValidator), with our Dutch message.
_USERNAME = re.compile(r"^[\w.@+-]+\Z")
_NAME_MAX = 150
_TEAM_NAME_MAX = 100


def _check_actor(actor: Any) -> None:
    if not actor_may_manage_staff(actor):
        raise PermissionDenied


def _check_target(actor: Any, user: User) -> None:
    """The account is of the actor's municipality and no installation administrator."""
    _check_actor(actor)
    if user.municipality_id != actor.municipality_id or user.is_superuser or user.is_staff:
        raise PermissionDenied


def _single_spaced(value: str) -> str:
    return " ".join((value or "").split())


def _clean_name(value: str, *, missing: str, errors: dict[str, list[str]], field: str) -> str:
    name = _single_spaced(value)
    if not name:
        errors[field] = [missing]
    elif len(name) > _NAME_MAX:
        errors[field] = [_("Te lang: ten hoogste %(max)d tekens.") % {"max": _NAME_MAX}]
    return name


def _clean_email(value: str, *, exclude_pk: int | None, errors: dict[str, list[str]]) -> str:
    email = (value or "").strip()
    if not email:
        errors["email"] = [_("Vul het e-mailadres in, bijvoorbeeld naam@gemeente.nl.")]
        return email
    email = User.objects.normalize_email(email)
    if len(email) > 254:
        errors["email"] = [_("Het e-mailadres is te lang: ten hoogste 254 tekens.")]
        return email
    try:
        EmailValidator()(email)
    except ValidationError:
        errors["email"] = [
            _("Dit is geen geldig e-mailadres. Schrijf het als naam@gemeente.nl, zonder spaties.")
        ]
        return email
    # Single sign-on finds the account by e-mail address ignoring case (accounts/oidc.py), across
    # the installation: two accounts with one address could not log in that way at all.
    others = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        errors["email"] = [
            _(
                "Dit e-mailadres hoort al bij een ander account. Elk account heeft een eigen "
                "e-mailadres; daarmee wordt ook het account gevonden bij inloggen via de "
                "identity provider."
            )
        ]
    return email


def _clean_profile(
    *,
    actor: Any,
    exclude_pk: int | None,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "first_name": _clean_name(
            first_name, missing=_("Vul de voornaam in."), errors=errors, field="first_name"
        ),
        "last_name": _clean_name(
            last_name, missing=_("Vul de achternaam in."), errors=errors, field="last_name"
        ),
        "email": _clean_email(email, exclude_pk=exclude_pk, errors=errors),
        "role": role,
        "team": team,
    }
    # A client's account is the portal's (ADR 0015): user management never makes one.
    if role not in STAFF_ROLES:
        errors["role"] = [_("Kies een rol uit de lijst.")]
    if team is not None and team.municipality_id != actor.municipality_id:
        errors["team"] = [_("Kies een team van uw eigen gemeente.")]
    elif team is None and role in CASEWORK_ROLES:
        # The need-to-know rule works per team: a team lead sees the caseloads of their team, so
        # a coach without a team would have no team lead, a team lead no caseloads.
        errors["team"] = [
            _("Kies een team: een klantregisseur of teamleider hoort altijd bij een team.")
        ]
    return values


def _refuse_open_work(user: User, *, field: str | None) -> None:
    held = staff_open_work(user=user)
    if held:
        messages = [work.refusal(count) for work, count in held]
        raise ValidationError({field: messages} if field else messages)


def _changes(user: User, values: dict[str, Any]) -> dict[str, Any]:
    changed = {}
    for name, value in values.items():
        if name == "team":
            if user.team_id != (value.pk if value is not None else None):
                changed[name] = value
        elif getattr(user, name) != value:
            changed[name] = value
    return changed


def staff_create(
    *,
    actor: Any,
    origin: Origin,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None,
) -> User:
    """A new staff account of the actor's municipality, active, without a password (hand over a
    set-password link: `password_link_token`) and without a second factor (enrolled at the first
    login). Raises ValidationError (Dutch, per field); nothing is written then."""
    _check_actor(actor)
    errors: dict[str, list[str]] = {}
    name = (username or "").strip()
    if not name:
        errors["username"] = [_("Vul een gebruikersnaam in.")]
    elif len(name) > _NAME_MAX:
        errors["username"] = [_("Te lang: ten hoogste %(max)d tekens.") % {"max": _NAME_MAX}]
    elif not _USERNAME.match(name):
        errors["username"] = [
            _(
                "Een gebruikersnaam bestaat uit letters, cijfers en de tekens @ . + - _, zonder "
                "spaties."
            )
        ]
    elif User.objects.filter(username__iexact=name).exists():
        errors["username"] = [_("Deze gebruikersnaam is al in gebruik. Kies een andere.")]
    values = _clean_profile(
        actor=actor,
        exclude_pk=None,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        team=team,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = User(
                username=name,
                municipality_id=actor.municipality_id,
                is_active=True,
                is_staff=False,
                is_superuser=False,
                **values,
            )
            user.set_unusable_password()
            user.save(force_insert=True)
            audit_record(
                actor=actor,
                action="accounts.user.create",
                origin=origin,
                obj=user,
                detail={"fields": sorted(["username", *(k for k, v in values.items() if v)])},
            )
    except IntegrityError:  # the same username, saved by someone else just now
        raise ValidationError(
            {"username": [_("Deze gebruikersnaam is al in gebruik. Kies een andere.")]}
        ) from None
    return user


def staff_update(
    *,
    actor: Any,
    user: User,
    expected_version: int,
    origin: Origin,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None,
) -> list[str]:
    """Change name, e-mail address, role and team. Raises ConflictError when the account changed
    since `expected_version`, ValidationError (Dutch, per field) on bad input; nothing is written
    then. Returns the names of the fields that changed (none: nothing written, same version)."""
    _check_target(actor, user)
    version_check(user, expected_version)
    errors: dict[str, list[str]] = {}
    values = _clean_profile(
        actor=actor,
        exclude_pk=user.pk,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        team=team,
        errors=errors,
    )
    if "role" not in errors and user.pk == actor.pk and role != user.role:
        errors["role"] = [
            _(
                "U kunt uw eigen rol niet wijzigen: dan kunt u zelf geen gebruikers meer "
                "beheren. Vraag dit aan een andere functioneel beheerder."
            )
        ]
    if errors:
        raise ValidationError(errors)
    changed = _changes(user, values)
    if not changed:
        return []
    if "role" in changed and user.role in CASEWORK_ROLES and role not in CASEWORK_ROLES:
        # Outside casework the caseload would be visible to nobody: hand it over first.
        _refuse_open_work(user, field="role")
    with transaction.atomic():
        versioned_update(user, expected_version=expected_version, values=changed)
        audit_record(
            actor=actor,
            action="accounts.user.update",
            origin=origin,
            obj=user,
            detail={"fields": sorted(changed), "version": user.version},
        )
    return sorted(changed)


def _set_active(
    *, actor: Any, user: User, expected_version: int, origin: Origin, active: bool
) -> bool:
    _check_target(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(
            _(
                "U kunt uw eigen account niet deactiveren: dan kunt u niet meer inloggen. Vraag "
                "dit aan een andere functioneel beheerder."
            )
        )
    version_check(user, expected_version)
    if user.is_active == active:
        return False
    if not active:
        _refuse_open_work(user, field=None)
    with transaction.atomic():
        versioned_update(user, expected_version=expected_version, values={"is_active": active})
        audit_record(
            actor=actor,
            action="accounts.user.reactivate" if active else "accounts.user.deactivate",
            origin=origin,
            obj=user,
            detail={"fields": ["is_active"], "version": user.version},
        )
    return True


def staff_deactivate(*, actor: Any, user: User, expected_version: int, origin: Origin) -> bool:
    """Deactivate an account (never delete it: audit rows and assignments refer to it). Every
    session of the user ends at once. Refused (ValidationError) for oneself and for an account
    that still holds work, such as a caseload. False when it was inactive already."""
    return _set_active(
        actor=actor, user=user, expected_version=expected_version, origin=origin, active=False
    )


def staff_reactivate(*, actor: Any, user: User, expected_version: int, origin: Origin) -> bool:
    """Let a deactivated account log in again. False when it was active already."""
    return _set_active(
        actor=actor, user=user, expected_version=expected_version, origin=origin, active=True
    )


def _refuse_self(actor: Any, user: User, message: Any) -> None:
    if user.pk == actor.pk:
        raise ValidationError(message)


def staff_otp_reset(*, actor: Any, user: User, origin: Origin) -> int:
    """Lost phone: delete the user's authenticator apps (TOTP devices), so that the next login
    enrols a new one. A session verified with a deleted device is no longer verified and goes to
    enrolment as well. Returns the number of devices deleted; audited even when there were none.
    """
    _check_target(actor, user)
    _refuse_self(
        actor,
        user,
        _(
            "U kunt uw eigen tweestapsverificatie hier niet opnieuw instellen. Vraag dit aan een "
            "andere functioneel beheerder."
        ),
    )
    with transaction.atomic():
        deleted, _per_model = TOTPDevice.objects.filter(user_id=user.pk).delete()
        audit_record(
            actor=actor,
            action="accounts.user.otp_reset",
            origin=origin,
            obj=user,
            detail={"devices": deleted},
        )
    return int(deleted)


def staff_password_link(*, actor: Any, user: User, origin: Origin) -> None:
    """A new set-password link for an existing account (forgotten password, or an expired first
    link). The current password stops working at once and every session of the user ends, so a
    link can never be used unnoticed beside a password the user still has. The view then shows
    the link (`password_link_token`) once to the admin."""
    _check_target(actor, user)
    _refuse_self(
        actor,
        user,
        _(
            "U kunt voor uzelf hier geen wachtwoordlink maken. Vraag dit aan een andere "
            "functioneel beheerder."
        ),
    )
    if not user.is_active:
        raise ValidationError(_("Dit account is gedeactiveerd. Activeer het eerst."))
    if settings.OIDC_ONLY:
        raise ValidationError(
            _(
                "Op deze installatie loggen medewerkers alleen in via de identity provider van "
                "de gemeente; een wachtwoord is niet nodig."
            )
        )
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        audit_record(actor=actor, action="accounts.user.password_link", origin=origin, obj=user)


def password_link_token(*, user: User) -> str:
    """The token of a set-password link (Django's PasswordResetTokenGenerator): valid for
    PASSWORD_RESET_TIMEOUT seconds, and void once the password is set, after a login, or when
    the e-mail address changes (all part of its signature). Nothing is stored."""
    return default_token_generator.make_token(user)


def staff_password_set(*, user: User, password: str, origin: Origin) -> None:
    """The user sets their password through the link (the form checked the token and the
    password rules). Audited with the user as actor."""
    with transaction.atomic():
        user.set_password(password)
        # Only the password: a full save would write back fields an admin may be changing now.
        user.save(update_fields=["password"])
        audit_record(actor=user, action="accounts.user.password_set", origin=origin, obj=user)


# Teams ------------------------------------------------------------------------------------


def _clean_team_name(*, actor: Any, name: str, exclude_pk: Any = None) -> str:
    cleaned = _single_spaced(name)
    error: str | None = None
    if not cleaned:
        error = _("Vul de naam van het team in.")
    elif len(cleaned) > _TEAM_NAME_MAX:
        error = _("De naam is te lang: ten hoogste %(max)d tekens.") % {"max": _TEAM_NAME_MAX}
    else:
        same = Team.objects.filter(municipality_id=actor.municipality_id, name__iexact=cleaned)
        if exclude_pk is not None:
            same = same.exclude(pk=exclude_pk)
        if same.exists():
            error = _("Er is al een team met deze naam. Kies een andere naam.")
    if error is not None:
        raise ValidationError({"name": [error]})
    return cleaned


def team_create(*, actor: Any, origin: Origin, name: str) -> Team:
    """A new team of the actor's municipality. Raises ValidationError (Dutch) on a missing,
    too long or duplicate name (ignoring case)."""
    _check_actor(actor)
    cleaned = _clean_team_name(actor=actor, name=name)
    try:
        with transaction.atomic():
            team = Team.objects.create(municipality_id=actor.municipality_id, name=cleaned)
            audit_record(
                actor=actor,
                action="accounts.team.create",
                origin=origin,
                obj=team,
                detail={"fields": ["name"]},
            )
    except IntegrityError:  # the same name, saved by someone else just now
        raise ValidationError(
            {"name": [_("Er is al een team met deze naam. Kies een andere naam.")]}
        ) from None
    return team


def team_rename(
    *, actor: Any, team: Team, expected_version: int, origin: Origin, name: str
) -> bool:
    """Rename a team. ConflictError when it changed since `expected_version`, ValidationError on
    a bad name; nothing written then. False when the name is unchanged (nothing written)."""
    _check_actor(actor)
    if team.municipality_id != actor.municipality_id:
        raise PermissionDenied
    version_check(team, expected_version)
    cleaned = _clean_team_name(actor=actor, name=name, exclude_pk=team.pk)
    if cleaned == team.name:
        return False
    try:
        with transaction.atomic():
            versioned_update(team, expected_version=expected_version, values={"name": cleaned})
            audit_record(
                actor=actor,
                action="accounts.team.update",
                origin=origin,
                obj=team,
                detail={"fields": ["name"], "version": team.version},
            )
    except IntegrityError:
        raise ValidationError(
            {"name": [_("Er is al een team met deze naam. Kies een andere naam.")]}
        ) from None
    return True
