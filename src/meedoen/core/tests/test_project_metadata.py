"""The project's public face stays true: licence, publiccode.yml, README commands and doc links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Subsets of the controlled vocabularies of the publiccode.yml standard (categories-list and
# scope-list) that fit Meedoen; the standard has no "case-management" category.
PUBLICCODE_CATEGORIES = {
    "contact-management",
    "crm",
    "data-analytics",
    "data-collection",
    "document-management",
    "workflow-management",
}
PUBLICCODE_SCOPES = {"local-authorities", "welfare", "employment", "society"}

_MARKDOWN_LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")


def _publiccode() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def test_licence_is_the_full_eupl_1_2_text():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "Appendix" in text
    assert "Compatible Licences" in text
    assert len(text) > 12_000


def test_publiccode_has_the_mandatory_keys_of_the_standard():
    data = _publiccode()
    assert data["publiccodeYmlVersion"] == "0.4"
    for key in ("name", "url", "platforms", "categories", "developmentStatus", "softwareType"):
        assert data[key], key
    assert data["legal"]["license"] == "EUPL-1.2"
    assert data["maintenance"]["type"] == "community"
    assert data["maintenance"]["contacts"]
    assert data["localisation"]["localisationReady"] is True
    assert set(data["localisation"]["availableLanguages"]) == {"nl", "en"}
    assert data["developmentStatus"] in {"concept", "development", "beta", "stable", "obsolete"}
    assert data["softwareType"] == "standalone/web"
    assert set(data["categories"]) <= PUBLICCODE_CATEGORIES
    assert set(data["intendedAudience"]["scope"]) <= PUBLICCODE_SCOPES
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(data["releaseDate"]))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_publiccode_descriptions_respect_the_length_limits(lang):
    description = _publiccode()["description"][lang]
    assert 0 < len(description["shortDescription"]) <= 150
    assert 150 <= len(description["longDescription"]) <= 10_000
    assert len(description["features"]) >= 5
    for screenshot in description.get("screenshots", []):
        assert (ROOT / screenshot).suffix in {".png", ".jpg"}


def test_publiccode_version_matches_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version = re.search(r'^version = "([^"]+)"', pyproject, re.MULTILINE)
    assert version is not None
    assert _publiccode()["softwareVersion"] == version.group(1)


def test_readme_set_up_commands_exist_in_the_makefile():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test", "check", "bench", "vendor", "messages"):
        assert f"make {target}" in readme, target
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    assert "DEMO_CLIENTS ?= 2700" in makefile
    assert "2,700" in readme


def _markdown_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "ARCHITECTURE.md"]
    files += sorted((ROOT / "docs").rglob("*.md"))
    return [path for path in files if path.exists()]


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_in_the_docs_resolve(path):
    text = path.read_text(encoding="utf-8")
    broken = [
        target
        for target in _MARKDOWN_LINK.findall(text)
        if "://" not in target
        and not target.startswith("mailto:")
        and not (path.parent / target).resolve().exists()
    ]
    assert not broken, f"{path.relative_to(ROOT)} links to missing files: {broken}"


def test_every_adr_is_listed_in_the_index():
    adr_dir = ROOT / "docs" / "adr"
    index = (adr_dir / "README.md").read_text(encoding="utf-8")
    records = sorted(p.name for p in adr_dir.glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert records[0].startswith("0001-")
    numbers = [int(name[:4]) for name in records]
    assert numbers == list(range(1, len(records) + 1)), "ADR numbers must be consecutive"
    for name in records:
        assert f"({name})" in index, name
        text = (adr_dir / name).read_text(encoding="utf-8")
        for part in ("## Context", "## Decision", "## Consequences"):
            assert part in text, f"{name} lacks {part}"
