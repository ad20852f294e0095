"""Code lists the delivery is checked against (see meedoen.core.iso)."""

from meedoen.core.iso import COUNTRY_CODES, LANGUAGE_CODES

__all__ = ["COUNTRY_CODES", "LANGUAGE_CODES"]
