"""The coach's pages at Den Haag scale: 27,000 clients, ~1 million contact moments, PostgreSQL.

Builds (or reuses) a demo database ``meedoen_bench_caseload`` on the PostgreSQL server of
DATABASE_URL (else 127.0.0.1:5432): ``migrate``, ``generate_demo --clients 27000
--skip-if-present`` and ``demo_accounts``. Then 4 worker processes run at the same time, each
logged in (django.test.Client, the whole middleware stack, no network) as a coach of a different
team, each doing ROUNDS rounds over the three pages, with production settings (DEBUG off):

- home        the start page ``/`` with "Mijn werk"
- caseload    ``/mijn-caseload/``
- household   the household page of a household in that coach's caseload (web:household_detail)

The bar (issue 5): p95 <= BAR_MS for each page under 4 concurrent clients on the 2-core machine.
SQLite is skipped: the bar is about PostgreSQL. ``--rebuild`` drops the database first (the demo
history is dated from the day it was built). Figures go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BAR_MS = 25.0
CLIENTS = 27000
ROUNDS = 150
WARMUP = 10
PG_DATABASE = "meedoen_bench_caseload"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
ROOT = Path(__file__).resolve().parent.parent


def _server() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
    if url:
        return None  # SQLite: not what the bar is about
    return DEFAULT_SERVER


def _admin(server: str, sql: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(sql)
        return True
    except psycopg.Error as error:
        if "already exists" in str(error):
            return True
        print(f"postgresql: {error}")
        return False


# Keys of the benchmark database only. Set for the build too, so its data and the production-mode
# workers use the same keys (development keys are refused with DEBUG off).
BENCH_KEYS = {
    "MEEDOEN_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "MEEDOEN_BSN_ENCRYPTION_KEY": "bench-only-bsn-encryption-key",
    "MEEDOEN_BSN_HASH_KEY": "bench-only-bsn-hash-key",
    "MEEDOEN_PSEUDONYM_KEY": "bench-only-pseudonym-key",
}


def _env(url: str, *, production: bool = False) -> dict[str, str]:
    """The build runs in development mode (generate_demo refuses otherwise); the measured
    workers run with DEBUG off, as production does: no debug cursor, cached templates,
    compressed static manifest. TLS redirect and the second factor are off because the test
    client speaks plain HTTP and logs in with force_login."""
    env = dict(
        os.environ,
        DATABASE_URL=url,
        MEEDOEN_DEBUG="0" if production else "1",
        DJANGO_SETTINGS_MODULE="meedoen.config.settings",
        **BENCH_KEYS,
    )
    if production:
        env.update(
            MEEDOEN_SECURE_SSL_REDIRECT="0",
            MEEDOEN_REQUIRE_2FA="0",
            MEEDOEN_ALLOWED_HOSTS="localhost",
            MEEDOEN_VAR_DIR=str(ROOT / "var" / "bench"),
        )
    return env


def _build(url: str, clients: int) -> float:
    started = time.perf_counter()
    meedoen = str(Path(sys.executable).with_name("meedoen"))
    for command in (
        [meedoen, "migrate", "--no-input", "-v", "0"],
        [meedoen, "generate_demo", "--clients", str(clients), "--skip-if-present"],
        [meedoen, "demo_accounts"],
    ):
        completed = subprocess.run(  # noqa: S603
            command, env=_env(url), cwd=ROOT, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise RuntimeError(completed.stderr[-4000:])
        for line in completed.stdout.splitlines():
            if "contactmomenten" in line or "ingelezen in" in line or "overgeslagen" in line:
                print(f"  {line}")
    return time.perf_counter() - started


def _coaches(url: str) -> list[str]:
    """Four coaches of different teams: the two demo coach accounts and a generated coach of
    each other team (Laak, and a second one of Centrum)."""
    code = (
        "from meedoen.caseload.models import Assignment\n"
        "from meedoen.accounts.models import User\n"
        "names = ['demo-klantregisseur', 'demo-klantregisseur-escamp']\n"
        "for prefix in ('demo-coach-laak-', 'demo-coach-centrum-'):\n"
        "    u = (User.objects.filter(username__startswith=prefix,"
        " pk__in=Assignment.objects.open().values('coach_id')).order_by('username').first())\n"
        "    names.append(u.username)\n"
        "print(','.join(names))\n"
    )
    meedoen = str(Path(sys.executable).with_name("meedoen"))
    completed = subprocess.run(  # noqa: S603
        [meedoen, "shell", "-v", "0", "-c", code],
        env=_env(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip().splitlines()[-1].split(",")


def worker(username: str, rounds: int, warmup: int) -> dict[str, object]:
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from meedoen.accounts.models import User
    from meedoen.caseload.models import Assignment

    user = User.objects.get(username=username)
    http = Client(HTTP_ACCEPT_LANGUAGE="nl", HTTP_HOST="localhost")
    http.force_login(user)
    household_id = (
        Assignment.objects.open().filter(coach=user).order_by("household_id").first().household_id  # type: ignore[union-attr]
    )
    household_url = reverse("web:household_detail", kwargs={"household_id": household_id})
    household_page = "household"
    pages = {"home": "/", "caseload": reverse("web:my_caseload"), "household": household_url}
    queries = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            response = http.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{username} {url}: {response.status_code}")
        queries[name] = len(captured.captured_queries)
    for _ in range(warmup):
        for url in pages.values():
            http.get(url)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(rounds):
        for name, url in pages.items():
            started = time.perf_counter()
            http.get(url)
            times[name].append((time.perf_counter() - started) * 1000)
    return {
        "user": username,
        "household_page": household_page,
        "queries": queries,
        "times": times,
        "caseload": Assignment.objects.open().filter(coach=user).count(),
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_caseload")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--worker", nargs=3, metavar=("USER", "ROUNDS", "WARMUP"))
    args, _ = parser.parse_known_args(argv)
    if args.worker:
        username, rounds, warmup = args.worker
        print(json.dumps(worker(username, int(rounds), int(warmup))))
        return 0

    server = _server()
    if server is None:
        print("caseload pages: skipped — the bar is for PostgreSQL; set DATABASE_URL to a server")
        return 0
    try:
        import psycopg

        psycopg.connect(f"{server}/postgres", connect_timeout=3).close()
    except Exception:
        print(f"caseload pages: skipped — no PostgreSQL server at {server}")
        return 0
    if args.rebuild:
        _admin(server, f"DROP DATABASE IF EXISTS {PG_DATABASE}")
    _admin(server, f"CREATE DATABASE {PG_DATABASE}")
    url = f"{server}/{PG_DATABASE}"
    seconds = _build(url, args.clients)
    # Fresh statistics, as autovacuum would have them in production: right after a bulk load
    # the planner still thinks the tables are empty and picks sequential scans.
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"database {PG_DATABASE}: ready in {seconds:.1f} s ({args.clients} clients)")

    coaches = _coaches(url)
    meedoen = str(Path(sys.executable).with_name("meedoen"))
    subprocess.run(  # noqa: S603
        [meedoen, "collectstatic", "--no-input", "-v", "0"],
        env=_env(url, production=True),
        cwd=ROOT,
        check=True,
    )
    processes = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "benchmarks.bench_caseload",
                "--worker",
                name,
                str(args.rounds),
                str(WARMUP),
            ],
            env=_env(url, production=True),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in coaches
    ]
    results = []
    for process in processes:
        out, err = process.communicate()
        if process.returncode != 0:
            print(err[-4000:])
            return 1
        results.append(json.loads(out.strip().splitlines()[-1]))

    print(
        f"4 concurrent clients x {args.rounds} rounds; coaches: "
        + ", ".join(f"{r['user']} ({r['caseload']} households)" for r in results)
    )
    print(f"household page: {results[0]['household_page']}")
    failed = False
    for page in ("home", "caseload", "household"):
        values = [v for r in results for v in r["times"][page]]  # type: ignore[index]
        p50, p95, worst = (
            _percentile(values, 0.5),
            _percentile(values, 0.95),
            max(values),
        )
        queries = sorted({r["queries"][page] for r in results})  # type: ignore[index]
        ok = p95 <= BAR_MS
        failed |= not ok
        print(
            f"{page:<10} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {worst:6.1f} ms  "
            f"queries {'/'.join(map(str, queries))}  "
            f"{'ok' if ok else 'OVER'} (bar p95 <= {BAR_MS:.0f} ms)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
