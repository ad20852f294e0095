"""Demo conversations: share, history, causal model, big steps, determinism."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from itertools import pairwise
from statistics import mean

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from meedoen.accounts.models import Municipality
from meedoen.clients.models import BenefitPeriod, Client
from meedoen.dataexchange.demo.conversations import demo_conversations_create
from meedoen.dataexchange.demo.outcomes import demo_benefit_exits_undo
from meedoen.dataexchange.demo.services import demo_world_generate
from meedoen.profiles.models import Conversation, ZrmAssessment
from meedoen.profiles.selectors import profile_history

TODAY = dt.date(2025, 6, 1)


def _fingerprint(municipality):
    rows = Conversation.objects.filter(municipality=municipality).values_list(
        "client__client_number",
        "date",
        "place",
        "profile__ladder_current",
        "profile__completeness",
    )
    return sorted(rows)


@pytest.mark.django_db(transaction=True)
def test_demo_conversations_follow_the_causal_model_and_are_deterministic():
    out = io.StringIO()
    call_command(
        "generate_demo", clients=600, seed=2, today=TODAY.isoformat(), force=True, stdout=out
    )
    assert "gesprekken met profiel vastgelegd" in out.getvalue()
    municipality = Municipality.objects.get(code="0518")
    _, traits = demo_world_generate(
        clients=600, seed=2, today=TODAY, municipality_code=municipality.code
    )

    open_benefit = BenefitPeriod.objects.filter(client_id=OuterRef("pk"), end_date__isnull=True)
    recipients = Client.objects.filter(
        Exists(open_benefit), municipality=municipality, household__isnull=False
    )
    per_client = defaultdict(list)
    for number, date, rung in Conversation.objects.values_list(
        "client__client_number", "date", "profile__ladder_current"
    ).order_by("date"):
        per_client[number].append((date, rung))
    spoken = len(per_client) / recipients.count()
    assert 0.7 < spoken < 0.95
    with_follow_up = sum(1 for rows in per_client.values() if len(rows) > 1) / len(per_client)
    assert 0.5 < with_follow_up < 0.75
    # History over several years, follow-ups 3 to 6 months apart, none in the future.
    dates = [d for rows in per_client.values() for d, _ in rows]
    assert min(dates) < TODAY - dt.timedelta(days=2 * 365)
    assert max(dates) <= TODAY
    for rows in per_client.values():
        gaps = [(b[0] - a[0]).days for a, b in pairwise(rows)]
        assert all(91 <= gap <= 183 for gap in gaps)

    # The causal model: far from work, lower first rung and lower "werk en opleiding".
    near = [n for n in per_client if traits[n].distance < 0.35]
    far = [n for n in per_client if traits[n].distance > 0.7]
    assert near
    assert far
    assert mean(per_client[n][0][1] for n in near) > mean(per_client[n][0][1] for n in far) + 1
    work = dict(
        ZrmAssessment.objects.filter(domain="werk_opleiding", score__isnull=False).values_list(
            "profile__conversation__client__client_number", "score"
        )
    )
    assert mean(work[n] for n in near if n in work) > mean(work[n] for n in far if n in work)
    # Unknown ZRM scores only in first conversations; some clients made a big step forward.
    firsts = {min(rows)[0] for rows in per_client.values()}
    unknown_dates = set(
        ZrmAssessment.objects.filter(score__isnull=True).values_list(
            "profile__conversation__date", flat=True
        )
    )
    assert unknown_dates
    assert unknown_dates <= firsts
    client_ids = dict(
        Client.objects.filter(client_number__in=list(per_client)).values_list("client_number", "pk")
    )
    stepped = sum(
        1
        for n, rows in per_client.items()
        if len(rows) > 1 and profile_history(client_id=client_ids[n]).big_steps
    )
    assert stepped >= 10

    # Deterministic with the seed.
    before = _fingerprint(municipality)
    Conversation.objects.all().delete()
    # The demo's outcomes ended some benefits after the conversations were drawn; the
    # conversations are drawn from the benefits as the import left them.
    demo_benefit_exits_undo(municipality)
    demo_conversations_create(municipality=municipality, traits=traits, seed=2, today=TODAY)
    assert _fingerprint(municipality) == before
