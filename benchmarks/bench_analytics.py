"""The analyst's overview and dataset at Den Haag scale: 27,000 persons.

For each database (SQLite in a temp dir, PostgreSQL ``meedoen_bench_analytics`` when a server
answers) a fresh subprocess migrates an empty database, imports the delivery of bench_import
(27,000 persons) and times, as the analyst of the municipality:

- overview   analytics.services.analysis_overview_read: the counts per wijk, suppressed
- csv        analytics.services.dataset_export as CSV: 27,000 pseudonymised rows
- xlsx       the same as XLSX (openpyxl, write-only)

The bar (issue 3, "27,000 clients must export in seconds"): each within BAR_SECONDS on the 2-core
CI machine, with a fixed number of queries whatever the size. XLSX has the widest bar: openpyxl
writes a cell at a time (docs/benchmarks.md). Figures go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_import import (
    PG_SERVER,
    REFERENCE_DATES,
    ROWS,
    _postgres,
    _postgres_available,
    generate,
)

BAR_SECONDS = {"overview": 3.0, "csv": 4.0, "xlsx": 15.0}
PG_DATABASE = "meedoen_bench_analytics"


def child(database_url: str, delivery: str) -> dict[str, object]:
    import datetime as dt
    import resource

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meedoen.config.settings")
    os.environ.setdefault("MEEDOEN_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meedoen.accounts.constants import Role
    from meedoen.accounts.models import Municipality, User
    from meedoen.analytics.services import analysis_overview_read, dataset_export
    from meedoen.audit.services import Origin
    from meedoen.dataexchange.services import import_file

    call_command("migrate", verbosity=0, interactive=False)
    municipality, _ = Municipality.objects.get_or_create(
        code="0518", defaults={"name": "'s-Gravenhage"}
    )
    day = dt.date.fromisoformat(REFERENCE_DATES["first"])
    import_file(
        actor=None,
        municipality=municipality,
        file_name="first.csv",
        content=Path(delivery).read_bytes(),
        reference_date=day,
        origin=Origin(channel="benchmark"),
    )
    analyst = User.objects.create_user(
        username="analist-bench", municipality=municipality, role=Role.ANALYST
    )
    origin = Origin(channel="benchmark")
    steps = {
        "overview": lambda: (
            analysis_overview_read(
                actor=analyst, origin=origin, reference_date=day
            ).clients_total.value
        ),
        "csv": lambda: (
            dataset_export(actor=analyst, file_format="csv", origin=origin, reference_date=day).rows
        ),
        "xlsx": lambda: (
            dataset_export(
                actor=analyst, file_format="xlsx", origin=origin, reference_date=day
            ).rows
        ),
    }
    results: dict[str, object] = {}
    for name, step in steps.items():
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            rows = step()
            seconds = time.perf_counter() - started
        results[name] = {
            "rows": rows,
            "seconds": seconds,
            "queries": len(queries.captured_queries),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    return results


def _run_child(database_url: str, delivery: str) -> dict[str, dict[str, object]]:
    env = dict(os.environ, MEEDOEN_DEBUG="1", DJANGO_SETTINGS_MODULE="meedoen.config.settings")
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "benchmarks.bench_analytics", "--child", database_url, delivery],
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
    parser = argparse.ArgumentParser(prog="bench_analytics")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--database", action="append", choices=["sqlite", "postgresql"])
    args, _ = parser.parse_known_args(argv)
    databases = args.database or ["sqlite", "postgresql"]

    with tempfile.TemporaryDirectory(prefix="meedoen-bench-") as tmp:
        delivery = Path(tmp) / "first.csv"
        delivery.write_bytes(generate(args.rows))
        print(f"delivery: {args.rows} persons")
        failed = False
        for database in databases:
            if database == "sqlite":
                url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            elif _postgres_available():
                _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                _postgres(f"CREATE DATABASE {PG_DATABASE}")
                url = f"{PG_SERVER}/{PG_DATABASE}"
            else:
                print("postgresql: no server on 127.0.0.1:5432, skipped")
                continue
            try:
                results = _run_child(url, str(delivery))
            finally:
                if database == "postgresql":
                    _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            for name, figures in results.items():
                seconds = float(figures["seconds"])  # type: ignore[arg-type]
                ok = seconds <= BAR_SECONDS[name]
                failed |= not ok
                print(
                    f"{database:10} {name:8} {seconds:6.2f} s  {figures['rows']} rows  "
                    f"{figures['queries']} queries  peak {float(figures['peak_rss_mb']):.0f} MB  "  # type: ignore[arg-type]
                    f"(bar {BAR_SECONDS[name]:.0f} s: {'pass' if ok else 'FAIL'})"
                )
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3])))
    else:
        sys.exit(main(sys.argv[1:]))
