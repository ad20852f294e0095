"""Effect reports for every instrument of the demo (issue 7): "all instruments in ≤ 2 minutes".

A fresh subprocess migrates a database (SQLite in a temp dir, or ``--database-url``), generates
the demo (``generate_demo --clients N``; skipped when the municipality already has clients, so
an existing demo database can be reused) and then evaluates every instrument on one outcome with
three methods and 200 bootstrap repetitions, one after another, as ``meedoen
evaluate_instruments`` does: dataset from the database, estimators, stored report. Timed: the
whole loop (the bar) and each instrument. Figures go into docs/benchmarks.md.

    python -m benchmarks --only effect_reports [--clients 2700] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

BAR_SECONDS = 120.0


def child(database_url: str, clients: int, outcome: str, bootstrap: int) -> dict[str, object]:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meedoen.config.settings")
    os.environ.setdefault("MEEDOEN_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from meedoen.accounts.models import Municipality
    from meedoen.analytics.services_effects import (
        EvaluationInput,
        effect_evaluation_create,
        effect_evaluation_run,
    )
    from meedoen.audit.services import Origin
    from meedoen.instruments.models import Instrument

    call_command("migrate", verbosity=0, interactive=False)
    began = time.perf_counter()
    call_command("generate_demo", clients=clients, seed=1, skip_if_present=True, verbosity=0)
    demo_seconds = time.perf_counter() - began
    municipality = Municipality.objects.get(code="0518")
    origin = Origin(channel="benchmark")
    rows = []
    began = time.perf_counter()
    for instrument in Instrument.objects.filter(municipality=municipality).order_by("name"):
        start = time.perf_counter()
        evaluation = effect_evaluation_create(
            actor=None,
            municipality=municipality,
            data=EvaluationInput(instrument_id=instrument.pk, outcome=outcome, bootstrap=bootstrap),
            origin=origin,
            enqueue=False,
        )
        done = effect_evaluation_run(evaluation_id=evaluation.pk)
        assert done is not None
        dataset = (done.result or {}).get("dataset") or {}
        rows.append(
            {
                "instrument": instrument.name,
                "status": done.status,
                "n": dataset.get("n_population"),
                "treated": dataset.get("n_treated"),
                "estimate": done.estimate,
                "ci": [done.ci_low, done.ci_high],
                "verdict": done.verdict,
                "error": done.error[:70],
                "seconds": round(time.perf_counter() - start, 2),
            }
        )
    return {
        "vendor": django.db.connection.vendor,
        "clients": clients,
        "demo_seconds": round(demo_seconds, 1),
        "total_seconds": round(time.perf_counter() - began, 1),
        "rows": rows,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_effect_reports")
    parser.add_argument("--clients", type=int, default=2700)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--outcome", default="job_started_12m")
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args, _rest = parser.parse_known_args(argv)
    if args.child:
        print(json.dumps(child(args.database_url, args.clients, args.outcome, args.bootstrap)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        command = [
            sys.executable,
            "-m",
            "benchmarks.bench_effect_reports",
            "--child",
            "--clients",
            str(args.clients),
            "--database-url",
            url,
            "--outcome",
            args.outcome,
            "--bootstrap",
            str(args.bootstrap),
        ]
        out = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if out.returncode:
            print(out.stderr[-3000:])
            return 1
        figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"{figures['vendor']}, {figures['clients']} demo clients (demo built in "
        f"{figures['demo_seconds']} s), outcome {args.outcome}, bootstrap {args.bootstrap}"
    )
    print(f"{'instrument':40} {'status':7} {'n':>6} {'treated':>7} {'estimate':>9} {'s':>6}")
    for row in figures["rows"]:
        estimate = "" if row["estimate"] is None else f"{row['estimate']:+.3f}"
        print(
            f"{row['instrument'][:40]:40} {row['status']:7} {row['n'] or '':>6} "
            f"{row['treated'] or '':>7} {estimate:>9} {row['seconds']:>6.2f}"
        )
    total = figures["total_seconds"]
    ok = total <= BAR_SECONDS
    verdict = "OK" if ok else "TOO SLOW"
    print(f"all {len(figures['rows'])} instruments: {total} s (bar {BAR_SECONDS:.0f} s) {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
