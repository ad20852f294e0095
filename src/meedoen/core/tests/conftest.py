"""Fixtures for tests that start Meedoen in a fresh process, as an operator would."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# Variables a clean production shell would not carry over from the test process.
_SCRUB_PREFIXES = ("MEEDOEN_", "DJANGO_", "DATABASE_URL")


def _meedoen_command() -> list[str]:
    script = Path(sys.executable).with_name("meedoen")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "meedoen.manage"]


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a production server: DEBUG off, every secret set, a real host name."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB_PREFIXES)}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "meedoen.config.settings",
            "MEEDOEN_DEBUG": "0",
            "MEEDOEN_SECRET_KEY": secrets.token_urlsafe(64),
            "MEEDOEN_BSN_ENCRYPTION_KEY": secrets.token_urlsafe(32),
            "MEEDOEN_BSN_HASH_KEY": secrets.token_urlsafe(32),
            "MEEDOEN_PSEUDONYM_KEY": secrets.token_urlsafe(32),
            "MEEDOEN_ALLOWED_HOSTS": "meedoen.example.nl",
            "MEEDOEN_VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'meedoen.sqlite3'}",
        }
    )
    return env


RunMeedoen = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_meedoen() -> RunMeedoen:
    """Run the `meedoen` console command in a new process with exactly the given environment."""

    def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - fixed command, arguments from the test itself
            [*_meedoen_command(), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run
