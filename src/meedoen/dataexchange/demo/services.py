"""Demo data: generate the world, write its deliveries, load them through the real import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from meedoen.accounts.models import Municipality
from meedoen.audit.services import Origin
from meedoen.clients.models import Client
from meedoen.dataexchange.demo.conversations import Traits, demo_traits
from meedoen.dataexchange.demo.deliveries import Delivery, deliveries_render
from meedoen.dataexchange.demo.world import world_build

if TYPE_CHECKING:
    from meedoen.dataexchange.models import ImportRun

# Municipalities the demo knows by name; others must exist already.
KNOWN_MUNICIPALITIES = {"0518": "'s-Gravenhage", "0599": "Rotterdam"}


class DemoError(Exception):
    """A demo step that cannot go on; the message is Dutch and fit for the console."""


def demo_municipality_get_or_create(*, code: str) -> Municipality:
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is not None:
        return municipality
    if code not in KNOWN_MUNICIPALITIES:
        raise DemoError(
            _("Gemeente %(code)s bestaat niet; maak haar eerst aan of kies 0518 of 0599.")
            % {"code": code}
        )
    return Municipality.objects.create(code=code, name=KNOWN_MUNICIPALITIES[code])


def demo_municipality_has_clients(*, municipality: Municipality) -> bool:
    return Client.objects.filter(municipality=municipality).exists()


def demo_deliveries_generate(
    *, clients: int, seed: int, today: dt.date, municipality_code: str
) -> list[Delivery]:
    """The deliveries (oldest first) of a world whose last delivery holds `clients` persons."""
    return demo_world_generate(
        clients=clients, seed=seed, today=today, municipality_code=municipality_code
    )[0]


def demo_world_generate(
    *, clients: int, seed: int, today: dt.date, municipality_code: str
) -> tuple[list[Delivery], dict[str, Traits]]:
    """The deliveries, and the latent traits of the adults on benefit by client number: the
    conversations are derived from those after the import (the world itself is freed)."""
    if clients < 1:
        raise DemoError(_("Het aantal cliënten moet minstens 1 zijn."))
    world = world_build(clients=clients, seed=seed, today=today)
    return deliveries_render(world=world, municipality_code=municipality_code), demo_traits(world)


def demo_deliveries_write(*, deliveries: list[Delivery], out: Path) -> list[Path]:
    """Write the files. `out` is a directory, or a .csv path for the last delivery (the earlier
    ones are written beside it as <name>-levering<k>.csv)."""
    written = []
    if out.suffix.lower() == ".csv":
        out.parent.mkdir(parents=True, exist_ok=True)
        for index, delivery in enumerate(deliveries, start=1):
            is_last = index == len(deliveries)
            path = out if is_last else out.with_name(f"{out.stem}-levering{index}.csv")
            path.write_bytes(delivery.content)
            written.append(path)
        return written
    out.mkdir(parents=True, exist_ok=True)
    for delivery in deliveries:
        path = out / delivery.file_name
        path.write_bytes(delivery.content)
        written.append(path)
    return written


def demo_deliveries_load(
    *,
    municipality: Municipality,
    deliveries: list[Delivery],
    progress: Callable[[int, Delivery, int, int], None] | None = None,
) -> list[ImportRun]:
    """Load the deliveries in order through the import, as the benefit administration would.

    Stops at the first delivery the import does not apply; the deliveries before it stay applied
    (each import is its own complete transaction, as in production).
    """
    # Imported here: the import is a sibling module that the demo only calls.
    from meedoen.dataexchange.constants import ImportStatus
    from meedoen.dataexchange.services import import_file

    origin = Origin(channel="command")
    runs = []
    for index, delivery in enumerate(deliveries, start=1):

        def report(
            done: int, total: int, index: int = index, delivery: Delivery = delivery
        ) -> None:
            if progress is not None:
                progress(index, delivery, done, total)

        run = import_file(
            actor=None,
            municipality=municipality,
            file_name=delivery.file_name,
            content=delivery.content,
            reference_date=delivery.reference_date,
            dry_run=False,
            origin=origin,
            progress=report,
        )
        runs.append(run)
        if run.status != ImportStatus.APPLIED:
            details = "; ".join(
                _("rij %(row)s, kolom %(column)s: %(message)s")
                % {"row": e.get("row"), "column": e.get("column"), "message": e.get("message")}
                for e in (run.errors or [])[:5]
            )
            raise DemoError(
                _("Levering %(index)s (%(file)s) is niet ingelezen: %(status)s. %(details)s")
                % {
                    "index": index,
                    "file": delivery.file_name,
                    "status": run.get_status_display(),
                    "details": details or run.failure,
                }
            )
    return runs
