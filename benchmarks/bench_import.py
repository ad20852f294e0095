"""The import at Den Haag scale: 27,000 persons with households and addresses.

For each database (SQLite in a temp dir, PostgreSQL ``meedoen_bench`` when a server answers) a
fresh subprocess migrates an empty database and times ``import_file``:

- first    the first delivery into an empty registry, fully applied
- again    the same file once more (everything unchanged, nothing written)
- later    a later delivery: some households moved, names changed, benefits ended, some people
           gone and some new

The bar (issue "Foundation"): the first import within 2 s on PostgreSQL and 5 s on SQLite on
the 2-core CI machine, peak memory (RSS of the process) at most 300 MB. The bar is applied to
every scenario. Figures go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from meedoen.dataexchange.columns import COLUMN_NAMES

ROWS = 27_000
SEED = 20190116
BAR_SECONDS = {"sqlite": 5.0, "postgresql": 2.0}
BAR_RSS_MB = 300.0
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "meedoen_bench"
REFERENCE_DATES = {"first": "2025-01-31", "again": "2025-01-31", "later": "2025-02-28"}


_FIRST = [
    "Fatima",
    "Mohamed",
    "Anna",
    "Jan",
    "Ayse",
    "Mustafa",
    "Maria",
    "Pieter",
    "Emre",
    "Sanne",
    "Youssef",
    "Noor",
    "Kees",
    "Priya",
    "Rachid",
]
_SURNAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "El Amrani"),
    ("", "Yilmaz"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Öztürk"),
    ("", "Ramdin"),
    ("de", "Jong"),
    ("", "Bouzid"),
    ("van der", "Meer"),
    ("", "Kaya"),
    ("", "Visser"),
    ("", "Mahabier"),
]
_STREETS = [
    "Hoefkade",
    "Vaillantlaan",
    "Wolstraat",
    "Parallelweg",
    "Hobbemastraat",
    "Jan Blankenstraat",
    "Delftselaan",
]
_DISTRICTS = [
    ("WK051828", "Schilderswijk"),
    ("WK051829", "Transvaalkwartier"),
    ("WK051838", "Laak"),
]
_COUNTRIES = ["NL", "NL", "NL", "MA", "TR", "SR", "SY", "PL", "ER", ""]
_LANGUAGES = ["nl", "nl", "nl ar", "nl tr", "ar", "tr", "nl en", "pl", "ti", ""]


def bsn_for(n: int) -> str:
    """A synthetic BSN for person n (9xxxxxxxx, passes the 11-proef; distinct for distinct n)."""
    prefix = 90_000_000 + 2 * n
    digits = f"{prefix:08d}"
    check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
    if check == 10:
        # The next (odd, so unused) prefix: its check digit is 10 + 2 = 1 (mod 11).
        digits = f"{prefix + 1:08d}"
        check = 1
    return f"{digits}{check}"


def generate(rows: int = ROWS, *, seed: int = SEED, later: bool = False) -> bytes:
    """A delivery of ``rows`` persons (deterministic). ``later`` = the next month's delivery."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    rng = random.Random(seed)  # noqa: S311 - deterministic test data, not security
    persons: list[dict[str, str]] = []
    number = 0
    household = 0
    while len(persons) < rows:
        household += 1
        district = _DISTRICTS[household % len(_DISTRICTS)]
        address = {
            "huishoudnummer": f"H{household:07d}",
            "postcode": f"{2500 + household % 90} {letters[household % 26]}"
            f"{letters[household // 26 % 26]}",
            "huisnummer": str(1 + household // 2340),
            "toevoeging": "" if household % 5 else "A",
            "straat": _STREETS[household % len(_STREETS)],
            "woonplaats": "'s-Gravenhage",
            "wijkcode": district[0],
            "wijknaam": district[1],
            "buurtcode": district[0].replace("WK", "BU") + "01",
            "buurtnaam": district[1] + "-Noord",
            "adres_sinds": (
                dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(7000))
            ).isoformat(),
        }
        size = rng.choices([1, 2, 3, 4], weights=[55, 20, 15, 10])[0]
        couple = size >= 2 and rng.random() < 0.5
        roles = ["aanvrager"] + (["partner"] if couple else []) + ["kind"] * (size - 1 - couple)
        benefit = "gehuwden" if couple else ("alleenstaande_ouder" if size > 1 else "alleenstaande")
        start = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5000))
        for role in roles:
            if len(persons) >= rows:
                break
            number += 1
            prefix, surname = rng.choice(_SURNAMES)
            adult = role != "kind"
            born = (
                dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(17000))
                if adult
                else (dt.date(2007, 1, 1) + dt.timedelta(days=rng.randrange(5000)))
            )
            ended = adult and rng.random() < 0.03
            persons.append(
                {
                    "klantnummer": f"K{number:07d}",
                    "bsn": bsn_for(number),
                    "voornamen": rng.choice(_FIRST),
                    "tussenvoegsel": prefix,
                    "achternaam": surname,
                    "geboortedatum": born.isoformat() if number % 2 else born.strftime("%d-%m-%Y"),
                    "geslacht": rng.choice("MVVX"),
                    "geboorteland": rng.choice(_COUNTRIES),
                    "email": f"persoon{number}@example.org" if rng.random() < 0.4 else "",
                    "telefoon": f"06 {rng.randrange(10**7, 10**8)}" if rng.random() < 0.6 else "",
                    "talen": rng.choice(_LANGUAGES),
                    "rol": role,
                    **address,
                    "uitkering_soort": benefit if adult else "",
                    "uitkering_ingang": start.isoformat() if adult else "",
                    "uitkering_einde": "2024-12-31" if ended else "",
                    "reden_einde": "werk" if ended else "",
                }
            )
    if later:
        persons = _next_month(persons, rng)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMN_NAMES, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(persons)
    return buffer.getvalue().encode("utf-8")


def _next_month(persons: list[dict[str, str]], rng: random.Random) -> list[dict[str, str]]:
    """Some 3 % of households move, 2 % of people change name, 2 % of adults stop receiving a
    benefit, 2 % of households are gone from the file and as many new ones arrive."""
    households: dict[str, list[dict[str, str]]] = {}
    for person in persons:
        households.setdefault(person["huishoudnummer"], []).append(person)
    result: list[dict[str, str]] = []
    for members in households.values():
        draw = rng.random()
        if draw < 0.02:
            continue
        if draw < 0.05:
            for member in members:
                member.update(
                    huisnummer=str(int(member["huisnummer"]) + 500), adres_sinds="2025-02-01"
                )
        for member in members:
            if rng.random() < 0.02:
                member["achternaam"] += "-Smit"
            if member["uitkering_soort"] and not member["uitkering_einde"] and rng.random() < 0.02:
                member.update(uitkering_einde="2025-02-15", reden_einde="werk")
            result.append(member)
    newcomers = len(persons) - len(result)
    base = len(persons) + 1_000_000
    for i in range(newcomers):
        number = base + i
        template = dict(rng.choice(result))
        template.update(
            klantnummer=f"K{number:07d}",
            bsn=bsn_for(number),
            huishoudnummer=f"N{number:07d}",
            rol="aanvrager",
            huisnummer=str(900 + i % 90),
            uitkering_soort="alleenstaande",
            uitkering_ingang="2025-02-01",
            uitkering_einde="",
            reden_einde="",
        )
        result.append(template)
    return result


# The child process: one database, all scenarios ---------------------------------------------


def child(database_url: str, files: dict[str, str]) -> dict[str, object]:
    import resource

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meedoen.config.settings")
    os.environ.setdefault("MEEDOEN_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from meedoen.accounts.models import Municipality
    from meedoen.audit.services import Origin
    from meedoen.dataexchange.services import import_file

    call_command("migrate", verbosity=0, interactive=False)
    municipality, _ = Municipality.objects.get_or_create(
        code="0518", defaults={"name": "'s-Gravenhage"}
    )
    results: dict[str, object] = {}
    for scenario in ("first", "again", "later"):
        content = Path(files[scenario]).read_bytes()
        started = time.perf_counter()
        run = import_file(
            actor=None,
            municipality=municipality,
            file_name=f"{scenario}.csv",
            content=content,
            reference_date=dt.date.fromisoformat(REFERENCE_DATES[scenario]),
            origin=Origin(channel="benchmark"),
        )
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results[scenario] = {
            "status": run.status,
            "rows": run.rows_total,
            "seconds": seconds,
            "peak_rss_mb": peak,
            "new": run.new_count,
            "changed": run.changed_count,
            "unchanged": run.unchanged_count,
            "ended": run.ended_count,
            "errors": run.error_count,
        }
    return results


# The parent: files, databases, table ------------------------------------------------------


def _postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def _postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _run_child(database_url: str, files: dict[str, str]) -> dict[str, dict[str, object]]:
    env = dict(os.environ, MEEDOEN_DEBUG="1", DJANGO_SETTINGS_MODULE="meedoen.config.settings")
    completed = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "benchmarks.bench_import",
            "--child",
            database_url,
            json.dumps(files),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-4000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_import")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--database", action="append", choices=["sqlite", "postgresql"])
    args, _ = parser.parse_known_args(argv)
    databases = args.database or ["sqlite", "postgresql"]

    with tempfile.TemporaryDirectory(prefix="meedoen-bench-") as tmp:
        files = {}
        for scenario, later in (("first", False), ("later", True)):
            path = Path(tmp) / f"{scenario}.csv"
            path.write_bytes(generate(args.rows, later=later))
            files[scenario] = str(path)
        files["again"] = files["first"]
        print(f"delivery: {args.rows} rows, {Path(files['first']).stat().st_size / 1e6:.1f} MB CSV")
        lines = []
        failed = False
        for database in databases:
            if database == "postgresql":
                if not _postgres_available():
                    print(f"postgresql: no server at {PG_SERVER}, skipped")
                    continue
                _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                _postgres(f"CREATE DATABASE {PG_DATABASE}")
                url = f"{PG_SERVER}/{PG_DATABASE}"
            else:
                url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            try:
                results = _run_child(url, files)
            finally:
                if database == "postgresql":
                    _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            for scenario, figures in results.items():
                seconds = float(figures["seconds"])  # type: ignore[arg-type]
                rss = float(figures["peak_rss_mb"])  # type: ignore[arg-type]
                ok = (
                    figures["status"] == "applied"
                    and seconds <= BAR_SECONDS[database]
                    and rss <= BAR_RSS_MB
                )
                failed |= not ok
                lines.append(
                    (
                        database,
                        scenario,
                        str(figures["rows"]),
                        f"{seconds:.2f}",
                        f"{int(figures['rows']) / seconds:,.0f}",  # type: ignore[call-overload]
                        f"{rss:.0f}",
                        f"{figures['new']}/{figures['changed']}/{figures['unchanged']}/{figures['ended']}",
                        ("pass" if ok else "FAIL")
                        + f" (≤ {BAR_SECONDS[database]:.0f} s, ≤ {BAR_RSS_MB:.0f} MB)",
                    )
                )
    header = (
        "database",
        "scenario",
        "rows",
        "seconds",
        "rows/s",
        "peak RSS MB",
        "new/chg/same/end",
        "bar",
    )
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *lines]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], json.loads(sys.argv[3]))))
    else:
        sys.exit(main(sys.argv[1:]))
