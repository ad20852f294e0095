"""Typed helpers that read settings from the environment and fail loudly on bad values.

Every variable read through these helpers is listed in ``ENV_VARIABLES`` so that a test can check
that docs/development/configuration.md documents each one.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from django.core.exceptions import ImproperlyConfigured

ENV_VARIABLES: set[str] = set()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    ENV_VARIABLES.add(name)
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(
                f"Environment variable {name} is required. See docs/development/configuration.md."
            )
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    ENV_VARIABLES.add(name)
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not a boolean.")


def env_int(name: str, default: int) -> int:
    ENV_VARIABLES.add(name)
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not an integer."
        ) from exc


def env_list(name: str, default: list[str]) -> list[str]:
    ENV_VARIABLES.add(name)
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def env_rate(name: str, default: str) -> str:
    """A request rate as Django REST framework writes it: "30/minute", "5/s", "1000/day"."""
    value = env_str(name, default).strip()
    if not _RATE.match(value):
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not a rate like 30/minute "
            "(a number, a slash and second, minute, hour or day)."
        )
    return value


def env_daily_time(name: str, default: str) -> dt.time | None:
    """A time of day as "HH:MM" (24-hour clock), or None for "off" (also 0, false, no, empty)."""
    raw = env_str(name, default).strip()
    if raw.lower() in _FALSE:
        return None
    match = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", raw)
    if match is None:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not a time of day like 02:00, or off."
        )
    return dt.time(int(match.group(1)), int(match.group(2)))
