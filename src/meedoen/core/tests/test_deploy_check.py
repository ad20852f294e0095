"""The production gate: with production variables `meedoen check --deploy` is clean, without them
Meedoen refuses to start and says which variable is missing (ADR 0009)."""

from __future__ import annotations

import pytest


def test_check_deploy_reports_no_issues_with_production_variables(production_env, run_meedoen):
    result = run_meedoen("check", "--deploy", "--fail-level", "WARNING", env=production_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing",
    [
        "MEEDOEN_SECRET_KEY",
        "MEEDOEN_BSN_ENCRYPTION_KEY",
        "MEEDOEN_BSN_HASH_KEY",
        "MEEDOEN_PSEUDONYM_KEY",
    ],
)
def test_production_refuses_to_start_without_a_secret(production_env, run_meedoen, missing):
    secrets_given = {
        name: value
        for name, value in production_env.items()
        if name.endswith("_KEY") and name != missing
    }
    del production_env[missing]

    result = run_meedoen("check", env=production_env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Environment variable {missing} is required." in result.stderr
    # The message names what is missing and never echoes a secret that was given.
    for value in secrets_given.values():
        assert value not in result.stdout + result.stderr


def test_development_fallback_keys_need_debug_on(production_env, run_meedoen):
    """Without secrets Meedoen only starts in development mode (MEEDOEN_DEBUG=1)."""
    for name in (
        "MEEDOEN_SECRET_KEY",
        "MEEDOEN_BSN_ENCRYPTION_KEY",
        "MEEDOEN_BSN_HASH_KEY",
        "MEEDOEN_PSEUDONYM_KEY",
    ):
        del production_env[name]
    production_env["MEEDOEN_DEBUG"] = "1"

    result = run_meedoen("check", env=production_env)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_mistyped_debug_flag_stops_startup(production_env, run_meedoen):
    production_env["MEEDOEN_DEBUG"] = "misschien"

    result = run_meedoen("check", env=production_env)

    assert result.returncode != 0
    assert "Environment variable MEEDOEN_DEBUG='misschien' is not a boolean." in result.stderr


@pytest.mark.parametrize(
    ("name", "dev_value"),
    [
        ("MEEDOEN_BSN_HASH_KEY", "dev-only-bsn-key-do-not-use-in-production-hash"),
        ("MEEDOEN_PSEUDONYM_KEY", "dev-only-pseudonym-key"),
    ],
)
def test_production_refuses_the_development_keys(production_env, run_meedoen, name, dev_value):
    production_env[name] = dev_value

    result = run_meedoen("check", env=production_env)

    assert result.returncode != 0
    assert "A development key is set while MEEDOEN_DEBUG is off." in result.stderr
