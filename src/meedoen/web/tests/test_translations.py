"""The English translation: complete, compiled, and used when a user chooses English.

The screens are written in Dutch (the msgids); `locale/en/LC_MESSAGES/django.po` holds English for
every one of them. After changing texts run `make messages`, translate the new entries (no empty
msgstr, no `#, fuzzy`), and commit the .po and the compiled .mo together.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# A printf-style placeholder as Python's % operator reads it: %(name)s, %(seconds).1f, %s, %d;
# "%%" (a literal percent sign) first, so that "95%% interval" is not read as "% i".
PLACEHOLDER = re.compile(r"%%|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """The key under which gettext stores the entry: context, EOT, msgid."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    assert text.startswith('"'), f"not a quoted string at {where}"
    assert text.endswith('"'), f"not a quoted string at {where}"
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header included; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        where = f"{path.name}:{number}"
        if not line or line.startswith("#~"):
            if not line and entry is not None:
                entries.append(entry)
                entry, target = None, None
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            entry.msgctxt, target = _unquote(line[8:], where), ("msgctxt", 0)
        elif line.startswith("msgid_plural "):
            entry.msgid_plural, target = _unquote(line[13:], where), ("msgid_plural", 0)
        elif line.startswith("msgid "):
            entry.msgid, target = _unquote(line[6:], where), ("msgid", 0)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            entry.msgstr[index] = _unquote(line[line.index("]") + 1 :], where)
            target = ("msgstr", index)
        elif line.startswith("msgstr "):
            entry.msgstr[0], target = _unquote(line[7:], where), ("msgstr", 0)
        elif line.startswith('"'):
            assert target is not None, f"continuation line without a keyword at {where}"
            text = _unquote(line, where)
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, (getattr(entry, name) or "") + text)
        else:
            raise AssertionError(f"unexpected line at {where}: {raw!r}")
    if entry is not None:
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return parse_po(PO_PATH)


def _messages(entries: list[Entry]) -> list[Entry]:
    header = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(header) == 1, "the .po file must have exactly one header entry"
    return [e for e in entries if e is not header[0]]


def _header(entries: list[Entry]) -> dict[str, str]:
    text = next(e for e in entries if e.msgid == "" and e.msgctxt is None).msgstr[0]
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


def test_po_header_declares_english_with_two_plural_forms(po_entries):
    header = _header(po_entries)
    assert header["Language"] == "en"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=UTF-8" in header["Content-Type"]


def test_every_message_is_translated_and_none_is_fuzzy(po_entries):
    messages = _messages(po_entries)
    assert len(messages) > 300, "the English catalogue looks truncated"
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in po_entries if "fuzzy" in e.flags]
    untranslated = [
        f"line {e.line}: {e.msgid!r}"
        for e in messages
        if not e.msgstr or any(not text.strip() for text in e.msgstr.values())
    ]
    wrong_plurals = [
        f"line {e.line}: {e.msgid!r}"
        for e in messages
        if e.msgid_plural is not None and sorted(e.msgstr) != [0, 1]
    ]
    assert not fuzzy, "fuzzy entries:\n" + "\n".join(fuzzy)
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)
    assert not wrong_plurals, "plural entries need msgstr[0] and msgstr[1]:\n" + "\n".join(
        wrong_plurals
    )


def test_translations_keep_the_placeholders_of_the_dutch_text(po_entries):
    problems = []
    for e in _messages(po_entries):
        if "python-format" not in e.flags:
            continue
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        expected = sorted(set().union(*(PLACEHOLDER.findall(s) for s in sources)))
        for index, text in e.msgstr.items():
            if sorted(set(PLACEHOLDER.findall(text))) != expected:
                problems.append(f"line {e.line} msgstr[{index}]: {e.msgid!r} -> {text!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_compiled_mo_matches_the_po(po_entries):
    """The .mo Django reads is compiled from the current .po (run compilemessages after edits)."""
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run compilemessages"
    with MO_PATH.open("rb") as handle:
        catalog = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for e in _messages(po_entries):
        if e.msgid_plural is None:
            expected[e.key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(e.key, index)] = text
    catalog.pop("", None)  # the header
    missing = sorted(str(k) for k in expected.keys() - catalog.keys())
    stale = sorted(str(k) for k in catalog.keys() - expected.keys())
    differs = sorted(str(k) for k in expected.keys() & catalog.keys() if expected[k] != catalog[k])
    assert not missing, "in the .po but not in the .mo (recompile):\n" + "\n".join(missing)
    assert not stale, "in the .mo but not in the .po (recompile):\n" + "\n".join(stale)
    assert not differs, "translation differs between .po and .mo (recompile):\n" + "\n".join(
        differs
    )


def test_django_uses_the_english_catalogue():
    with translation.override("en"):
        assert translation.gettext("Klantregisseur") == "Case manager"
        assert translation.gettext("Functionaris gegevensbescherming") == "Data protection officer"
        assert (
            translation.ngettext("%(counter)s cliënt gevonden", "%(counter)s cliënten gevonden", 1)
            % {"counter": 1}
            == "1 client found"
        )
        assert (
            translation.ngettext("%(counter)s cliënt gevonden", "%(counter)s cliënten gevonden", 3)
            % {"counter": 3}
            == "3 clients found"
        )
    with translation.override("nl"):
        assert translation.gettext("Klantregisseur") == "Klantregisseur"


@pytest.mark.django_db
def test_login_page_in_english_after_choosing_english(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("web:login")}
    )
    assert response.status_code == 302
    body = client.get(reverse("web:login")).content.decode()
    assert 'lang="en"' in body
    assert '<h1 class="utrecht-heading-1">Log in</h1>' in body
    assert "Username" in body
    assert "Password" in body
    assert "Inloggen" not in body
    assert "Gebruikersnaam" not in body
    assert "Wachtwoord" not in body


@pytest.mark.django_db
def test_pages_stay_dutch_for_a_browser_that_asks_for_english(client):
    body = client.get(reverse("web:login"), headers={"accept-language": "en"}).content.decode()
    assert "Inloggen" in body
    assert 'lang="nl"' in body


@pytest.mark.django_db
def test_the_api_negotiates_its_language(client):
    response = client.get(reverse("api:client-list"), headers={"accept-language": "en"})
    assert response.status_code == 403
    assert response["Content-Language"] == "en"
    assert "Authentication credentials were not provided." in response.content.decode()


@pytest.mark.django_db
def test_home_page_in_english_for_a_coach(client, coach):
    client.force_login(coach)
    client.post(reverse("set_language"), {"language": "en"})
    body = client.get(reverse("web:home")).content.decode()
    for english in ("Log out", "Main menu", "Search clients", "(Case manager)", "Skip to content"):
        assert english in body
    for dutch in ("Uitloggen", "Hoofdmenu", "Cliënten zoeken", "Klantregisseur", "Naar de inhoud"):
        assert dutch not in body
