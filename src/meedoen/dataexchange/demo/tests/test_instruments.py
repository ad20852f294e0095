"""Demo instrument catalogue: ~25 instruments, registry providers where they fit, valid data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meedoen.audit.models import AuditEvent
from meedoen.dataexchange.demo.instruments import CATALOGUE, demo_instruments_create
from meedoen.instruments import selectors
from meedoen.instruments.inputs import InstrumentInput
from meedoen.instruments.models import Instrument
from meedoen.instruments.services import _instrument_values
from meedoen.partners.models import Organisation


@pytest.mark.django_db
def test_demo_catalogue(municipality, coach):
    werkfit = Organisation.objects.create(
        municipality=municipality, name="Werkfit Re-integratie (demo)", kind="reintegration"
    )
    taalhuis = Organisation.objects.create(
        municipality=municipality, name="Taalhuis Haagse Taal (demo)", kind="education"
    )
    with CaptureQueriesContext(connection) as ctx:
        counts = demo_instruments_create(municipality=municipality)
    assert len(ctx.captured_queries) < 20
    assert counts["instruments"] == len(CATALOGUE) >= 25
    assert counts["categories"] == 5
    instruments = Instrument.objects.filter(municipality=municipality)
    assert all(i.provider_name.endswith("(demo)") for i in instruments)
    assert {i.provider for i in instruments if i.provider_id} == {werkfit, taalhuis}
    assert counts["from_registry"] == instruments.filter(provider__isnull=False).count()
    assert len({i.kind for i in instruments}) >= 11
    # Every demo instrument passes the rules of the service that staff use.
    for instrument in instruments.prefetch_related("target_group_rows", "categories"):
        _instrument_values(
            municipality_id=municipality.pk,
            current=instrument,
            data=InstrumentInput(
                name=instrument.name,
                kind=instrument.kind,
                description=instrument.description,
                provider_id=instrument.provider_id,
                provider_name=instrument.provider_name,
                target_groups=[r.code for r in instrument.target_group_rows.all()],
                capacity=instrument.capacity,
                cost_per_participant=instrument.cost_per_participant,
                usual_duration_weeks=instrument.usual_duration_weeks,
                category_ids=[c.pk for c in instrument.categories.all()],
            ),
        )
    entries = selectors.catalogue(actor=coach, target_group="refugees")
    assert any(e.instrument.kind == "language_course" for e in entries)
    assert AuditEvent.objects.filter(action="instruments.demo.create").count() == 1
    # A second run adds nothing.
    assert demo_instruments_create(municipality=municipality) == {}
    assert Instrument.objects.count() == len(CATALOGUE)


@pytest.mark.django_db(transaction=True)
def test_generate_demo_builds_the_catalogue_with_registry_providers():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("generate_demo", clients=200, seed=2, today="2025-06-01", force=True, stdout=out)
    assert f"{len(CATALOGUE)} instrumenten in de catalogus" in out.getvalue()
    # The demo partners ran first: the fitting instruments point at the registry.
    assert Instrument.objects.filter(provider__name="Werkfit Re-integratie (demo)").count() == 3
    assert Instrument.objects.filter(provider__isnull=False).count() >= 10
