"""Every environment variable is documented, and the env helpers fail loudly on bad values."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from meedoen.config import env
from meedoen.config.env import ENV_VARIABLES, env_bool, env_int, env_list, env_str

CONFIGURATION_DOC = Path(settings.BASE_DIR) / "docs" / "development" / "configuration.md"
_VARIABLES_SECTION = "## Environment variables"
_TABLE_ROW_NAME = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", re.MULTILINE)


def _doc_text() -> str:
    return CONFIGURATION_DOC.read_text(encoding="utf-8")


def _documented_variables() -> set[str]:
    """Names in the first column of the table(s) in the "Environment variables" section."""
    text = _doc_text()
    start = text.index(_VARIABLES_SECTION) + len(_VARIABLES_SECTION)
    end = text.find("\n## ", start)
    section = text[start:] if end == -1 else text[start:end]
    return set(_TABLE_ROW_NAME.findall(section))


def _variables_read_in_production(production_env: dict[str, str]) -> set[str]:
    # A fresh process with DEBUG off: also catches variables that settings read only in production.
    code = (
        "import json, django; django.setup(); "
        "from meedoen.config.env import ENV_VARIABLES; print(json.dumps(sorted(ENV_VARIABLES)))"
    )
    result = subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code],
        env=production_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.fixture
def registry_snapshot():
    """Helper tests register throw-away names; keep them out of the documentation check."""
    before = set(ENV_VARIABLES)
    yield
    ENV_VARIABLES.clear()
    ENV_VARIABLES.update(before)


def test_settings_read_their_variables_through_the_helpers():
    assert {"DATABASE_URL", "MEEDOEN_DEBUG", "MEEDOEN_SECRET_KEY"} <= ENV_VARIABLES


def test_every_environment_variable_is_documented(production_env):
    read = set(ENV_VARIABLES) | _variables_read_in_production(production_env)
    text = _doc_text()

    undocumented = sorted(name for name in read if f"`{name}`" not in text)

    assert not undocumented, (
        f"Document these variables in {CONFIGURATION_DOC.relative_to(settings.BASE_DIR)}: "
        f"{', '.join(undocumented)}"
    )


def test_documented_variables_still_exist(production_env):
    read = set(ENV_VARIABLES) | _variables_read_in_production(production_env)

    stale = sorted(_documented_variables() - read)

    assert _documented_variables(), "the variables table was not found"
    assert not stale, f"Documented but no longer read by settings: {', '.join(stale)}"


def test_database_url_examples_cover_sqlite_and_postgresql():
    text = _doc_text()
    assert "sqlite:///" in text
    assert "postgres://" in text


@pytest.mark.usefixtures("registry_snapshot")
class TestEnvHelpers:
    def test_bool_accepts_the_usual_spellings(self, monkeypatch):
        for raw, expected in [("1", True), ("yes", True), ("ON", True), ("0", False), ("", False)]:
            monkeypatch.setenv("MEEDOEN_TEST_FLAG", raw)
            assert env_bool("MEEDOEN_TEST_FLAG", not expected) is expected

    def test_bool_rejects_anything_else(self, monkeypatch):
        monkeypatch.setenv("MEEDOEN_TEST_FLAG", "ja")
        with pytest.raises(ImproperlyConfigured, match="MEEDOEN_TEST_FLAG='ja' is not a boolean"):
            env_bool("MEEDOEN_TEST_FLAG", False)

    def test_int_parses_and_rejects_non_integers(self, monkeypatch):
        monkeypatch.setenv("MEEDOEN_TEST_NUMBER", "42")
        assert env_int("MEEDOEN_TEST_NUMBER", 0) == 42
        monkeypatch.setenv("MEEDOEN_TEST_NUMBER", "15m")
        with pytest.raises(
            ImproperlyConfigured, match="MEEDOEN_TEST_NUMBER='15m' is not an integer"
        ):
            env_int("MEEDOEN_TEST_NUMBER", 0)

    def test_required_string_without_value_raises(self, monkeypatch):
        monkeypatch.delenv("MEEDOEN_TEST_REQUIRED", raising=False)
        with pytest.raises(ImproperlyConfigured, match="MEEDOEN_TEST_REQUIRED is required"):
            env_str("MEEDOEN_TEST_REQUIRED")

    def test_defaults_apply_only_when_unset(self, monkeypatch):
        monkeypatch.delenv("MEEDOEN_TEST_VALUE", raising=False)
        assert env_str("MEEDOEN_TEST_VALUE", "standaard") == "standaard"
        assert env_int("MEEDOEN_TEST_VALUE", 7) == 7
        assert env_list("MEEDOEN_TEST_VALUE", ["a"]) == ["a"]
        monkeypatch.setenv("MEEDOEN_TEST_VALUE", "")
        assert env_str("MEEDOEN_TEST_VALUE", "standaard") == ""

    def test_list_splits_on_commas_and_drops_blanks(self, monkeypatch):
        monkeypatch.setenv("MEEDOEN_TEST_HOSTS", " meedoen.example.nl, ,localhost ")
        assert env_list("MEEDOEN_TEST_HOSTS", []) == ["meedoen.example.nl", "localhost"]

    def test_every_helper_registers_its_name(self, monkeypatch):
        monkeypatch.delenv("MEEDOEN_TEST_REGISTERED", raising=False)
        env_bool("MEEDOEN_TEST_REGISTERED", False)
        assert "MEEDOEN_TEST_REGISTERED" in env.ENV_VARIABLES
