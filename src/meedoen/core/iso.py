"""ISO code lists and their names in the active language, from pycountry.

Countries are ISO 3166-1 alpha-2 (plus XK, Kosovo, which Dutch registrations use although it is
not officially assigned). Languages are ISO 639-1 where a two-letter code exists and ISO 639-3
otherwise, so that languages without a two-letter code — Papiamento (pap), Tarifit (rif) — can be
recorded too.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from functools import cache

import pycountry
from django.utils import translation

COUNTRY_CODES: frozenset[str] = frozenset(
    {country.alpha_2 for country in pycountry.countries} | {"XK"}
)
LANGUAGE_CODES: frozenset[str] = frozenset(
    code
    for language in pycountry.languages
    for code in (getattr(language, "alpha_2", None), language.alpha_3)
    if code
)
_EXTRA_COUNTRY_NAMES = {"XK": "Kosovo"}


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str) -> str:
    """ "Marokko" for MA when Dutch is active; the code itself when it is unknown."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return _EXTRA_COUNTRY_NAMES.get(code, code)
    name = getattr(country, "common_name", None) or country.name
    return _catalogue("iso3166-1", translation.get_language() or "nl").gettext(name)


def language_name(code: str) -> str:
    """ "Arabisch" for ar when Dutch is active; the code itself when it is unknown."""
    language = (
        pycountry.languages.get(alpha_2=code)
        if len(code) == 2
        else pycountry.languages.get(alpha_3=code)
    )
    if language is None:
        return code
    return _catalogue("iso639-3", translation.get_language() or "nl").gettext(language.name)


@cache
def _language_names(language: str) -> dict[str, str]:
    """Every language's name, in `language` and in English, case-folded → its preferred code."""
    catalogue = _catalogue("iso639-3", language)
    names: dict[str, str] = {}
    for entry in pycountry.languages:
        code = getattr(entry, "alpha_2", None) or entry.alpha_3
        for name in (catalogue.gettext(entry.name), entry.name):
            names.setdefault(name.casefold(), code)
    for name, code in _EXTRA_LANGUAGE_NAMES.items():
        names.setdefault(name, code)
    return names


# Dutch names in everyday use that the ISO catalogue spells otherwise (or leaves in English).
_EXTRA_LANGUAGE_NAMES = {"papiaments": "pap", "somalisch": "so", "farsi": "fa"}


def language_code(text: str, *, prefer: Iterable[str] = ()) -> str | None:
    """The code for what someone typed: a code ("ar", "pap") or a name ("Arabisch", "Arabic").

    A name resolves to the two-letter code where one exists. Codes in `prefer` (the ones already
    recorded) win when their name is what was typed, so showing "Nederlands" for a stored "nld"
    and reading it back does not change the code. None when nothing matches.
    """
    typed = text.strip()
    folded = typed.casefold()
    if not folded:
        return None
    if folded in LANGUAGE_CODES:
        return folded
    for code in prefer:
        if language_name(code).casefold() == folded:
            return code
    return _language_names(translation.get_language() or "nl").get(folded)
