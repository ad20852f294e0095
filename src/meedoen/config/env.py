"""Typed helpers that read settings from the environment and fail loudly on bad values.

Every variable read through these helpers is listed in ``ENV_VARIABLES`` so that a test can check
that docs/development/configuration.md documents each one.
"""

from __future__ import annotations

import os

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
