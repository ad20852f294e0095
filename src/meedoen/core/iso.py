"""ISO code lists and their names in the active language, from pycountry.

Countries are ISO 3166-1 alpha-2 (plus XK, Kosovo, which Dutch registrations use although it is
not officially assigned). Languages are ISO 639-1 where a two-letter code exists and ISO 639-3
otherwise, so that languages without a two-letter code — Papiamento (pap), Tarifit (rif) — can be
recorded too.
"""

from __future__ import annotations

import gettext
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
