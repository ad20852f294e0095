"""The README screenshot: the client list with demo-like clients, 1280x800, headless Chromium.

Always rendered (so the pipeline stays working); written to docs/screenshot.png only with
MEEDOEN_WRITE_SCREENSHOT=1:

    MEEDOEN_WRITE_SCREENSHOT=1 .venv/bin/pytest tests/browser/test_screenshot.py
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"

# Invented people in real Den Haag wijken; the BSNs are 9999xxxxx test numbers and never shown.
DEMO = [
    ("Aydın", "", "Mehmet", "2525KL", "WK051828", "Schilderswijk"),  # noqa: RUF001 (Turkish dotless i)
    ("Bakker", "", "Johanna Maria", "2531TE", "WK051838", "Laak"),
    ("Berg", "van den", "Fatima", "2526AB", "WK051828", "Schilderswijk"),
    ("Boukhari", "el", "Said", "2572HN", "WK051829", "Transvaal"),
    ("Dijk", "van", "Petra", "2533SE", "WK051844", "Moerwijk"),
    ("Haddou", "", "Naima", "2573DB", "WK051829", "Transvaal"),
    ("Jansen", "", "Cornelis", "2541GK", "WK051848", "Bouwlust/Vrederust"),
    ("Kaya", "", "Elif", "2526GR", "WK051828", "Schilderswijk"),
    ("Leeuwen", "van", "Mark", "2552PK", "WK051852", "Loosduinen"),
    ("Mohamed", "", "Abdi Hassan", "2532ER", "WK051838", "Laak"),
    ("Nowak", "", "Katarzyna", "2496XC", "WK051860", "Ypenburg"),
    ("Pinas", "", "Rachelle", "2534PP", "WK051844", "Moerwijk"),
    ("Ramdin", "", "Sunil", "2525BA", "WK051828", "Schilderswijk"),
    ("Santos", "dos", "Lucas", "2542DE", "WK051848", "Bouwlust/Vrederust"),
    ("Vries", "de", "Anna", "2583AB", "WK051808", "Scheveningen"),
    ("Yılmaz", "", "Ayşe", "2526CD", "WK051828", "Schilderswijk"),  # noqa: RUF001
    ("Zwart", "", "Hendrik", "2513AA", "WK051805", "Centrum"),
]


def test_readme_screenshot(page, live_server, coach, client_factory, login_as, tmp_path):
    rng = random.Random(7)
    for surname, prefix, first, postcode, code, wijk in DEMO:
        client_factory(
            surname=surname,
            name_prefix=prefix,
            first_names=first,
            postcode=postcode,
            district_code=code,
            district_name=wijk,
            date_of_birth=dt.date(rng.randint(1958, 1999), rng.randint(1, 12), rng.randint(1, 28)),
        )
    coach.first_name, coach.last_name = "Sanne", "de Wit"
    coach.save(update_fields=["first_name", "last_name"])
    login_as(page, live_server, coach)
    page.goto(f"{live_server.url}/clienten/")
    target = tmp_path / "screenshot.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size < 300_000
    if os.environ.get("MEEDOEN_WRITE_SCREENSHOT") == "1":
        DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
        DOCS_SCREENSHOT.write_bytes(target.read_bytes())
