"""Checking contact details that staff type: telephone, e-mail address, languages.

Each function returns the value as it is stored, or raises ``ValidationError`` with a Dutch
message that says what is wrong and what is expected. The messages never repeat a telephone
number or e-mail address (an error may end up in a log or an API response); an unknown language
code is repeated, as the import does, because it helps to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from meedoen.core.iso import LANGUAGE_CODES

PHONE_MAX_LENGTH = 20  # Client.phone
EMAIL_MAX_LENGTH = 254  # Client.email (RFC 5321 path limit)
LANGUAGES_MAX = 20

_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-./]+$")
_PHONE_SEPARATORS = re.compile(r"[ ()\-./]")

PHONE_MESSAGE = _(
    "Vul een geldig telefoonnummer in: een Nederlands nummer van 10 cijfers, zoals "
    "06 12345678 of 070 1234567, of een internationaal nummer met + en landnummer, zoals "
    "+32 2 123 45 67."
)


def phone_clean(value: str) -> str:
    """A Dutch or international telephone number, tidied; "" for an empty value.

    Accepted: a Dutch number of 10 digits starting with 0 (``06-12345678``, ``(070) 123 45 67``);
    +31 or 0031 followed by the 9 digits without the leading 0 (``+31 (0)6 1234 5678`` too); any
    other country as + or 00, country code and number, 8 to 15 digits in all (E.164). Spaces,
    hyphens, dots, slashes and parentheses may separate the digits. The number is kept as typed
    with single spaces; when that is longer than the column, as digits only (``+31612345678``).
    """
    text = " ".join(value.split())
    if not text:
        return ""
    if not _PHONE_CHARACTERS.match(text):
        raise ValidationError(PHONE_MESSAGE, code="phone")
    # "+31 (0)6 …": the (0) is the trunk prefix written for readers in the Netherlands.
    compact = _PHONE_SEPARATORS.sub("", text.replace("(0)", "", 1) if text[:1] == "+" else text)
    if compact.startswith("+"):
        international = compact[1:]
    elif compact.startswith("00"):
        international = compact[2:]
    else:
        international = ""
    if international:
        if not international.isdigit() or international[0] == "0":
            raise ValidationError(PHONE_MESSAGE, code="phone")
        if international.startswith("31"):
            national = international[2:]
            valid = len(national) == 9 and national[0] != "0"
        else:
            valid = 8 <= len(international) <= 15
    else:
        valid = compact.isdigit() and len(compact) == 10 and compact[0] == "0"
    if not valid:
        raise ValidationError(PHONE_MESSAGE, code="phone")
    if len(text) <= PHONE_MAX_LENGTH:
        return text
    return f"+{international}" if international else compact


def email_clean(value: str) -> str:
    """An e-mail address, trimmed; "" for an empty value."""
    address = value.strip()
    if not address:
        return ""
    if len(address) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            _("Dit e-mailadres is te lang: hoogstens %(max)d tekens.") % {"max": EMAIL_MAX_LENGTH},
            code="email",
        )
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."), code="email"
        ) from None
    return address


def languages_clean(codes: Iterable[str]) -> list[str]:
    """Language codes (ISO 639-1 where one exists, else ISO 639-3), lower-cased, each once."""
    cleaned = list(dict.fromkeys(code.strip().lower() for code in codes if code.strip()))
    unknown = [code for code in cleaned if code not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError(
            _(
                "Onbekende taalcode: %(codes)s. Gebruik ISO 639-1, zoals nl of ar, of ISO 639-3 "
                "als er geen tweeletterige code is, zoals pap."
            )
            % {"codes": ", ".join(code[:12] for code in unknown[:5])},
            code="languages",
        )
    if len(cleaned) > LANGUAGES_MAX:
        raise ValidationError(
            _("Geef hoogstens %(max)d talen op.") % {"max": LANGUAGES_MAX}, code="languages"
        )
    return cleaned
