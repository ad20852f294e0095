"""`meedoen retention_schedule`: make sure the nightly retention run waits in the task queue.

Idempotent; run it at start-up, after `migrate` (make demo does, before the worker starts).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meedoen.privacy.schedule import retention_schedule_ensure


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Zet de nachtelijke uitvoering van de bewaartermijnen klaar in de takenwachtrij "
        "(precies één keer; MEEDOEN_RETENTION_SCHEDULE)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        when = retention_schedule_ensure()
        at = settings.RETENTION_SCHEDULE
        if options["verbosity"] < 1:
            return
        if when is None or at is None:
            self.stdout.write(
                _("Bewaartermijnen: niet ingepland (MEEDOEN_RETENTION_SCHEDULE staat uit).")
            )
            return
        self.stdout.write(
            _("Bewaartermijnen: volgende uitvoering %(when)s (daarna elke nacht om %(at)s).")
            % {
                "when": timezone.localtime(when).strftime("%d-%m-%Y %H:%M"),
                "at": at.strftime("%H:%M"),
            }
        )
