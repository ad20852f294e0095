"""Background jobs of the analysts' pages (django_tasks; the worker is `meedoen db_worker`).

Queued by services_effects.py with ``transaction.on_commit``; takes the evaluation's id only.
Running it twice is harmless: an evaluation that is no longer queued is left alone.
"""

from __future__ import annotations

from django_tasks import task

from meedoen.analytics.services_effects import effect_evaluation_run


@task()
def effect_evaluation_task(evaluation_id: str) -> str:
    evaluation = effect_evaluation_run(evaluation_id=evaluation_id)
    return "skipped" if evaluation is None else str(evaluation.status)
