"""The conversation pages and the profile section of the client page: forms in Dutch that save
through the service or say what and where, corrections guarded by the version (409), the door and
the audit trail, and query counts that do not grow with the number of conversations."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.profiles.inputs import ConversationInput, ObstacleInput, ProfileInput
from meedoen.profiles.models import Conversation
from meedoen.profiles.services import conversation_record, conversation_update
from meedoen.profiles.tests.factories import conversation_input, full_profile, zrm
from meedoen.web.forms_profile import initial_for, occupation_code

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


def form_data(
    conversation: ConversationInput, profile: ProfileInput, *, version: int | None = None
) -> dict[str, Any]:
    """What a browser posts for this conversation: the form's own initial values, as strings."""
    data: dict[str, Any] = {}
    for key, value in initial_for(
        conversation=conversation, profile=profile, version=version
    ).items():
        if value is None or value is False:
            continue
        if value is True:
            data[key] = "on"
        elif isinstance(value, list):
            data[key] = value
        elif isinstance(value, dt.date):
            data[key] = value.isoformat()
        else:
            data[key] = str(value)
    # The empty rows the page shows after the filled ones.
    data.setdefault("experience_2_occupation", "")
    data.setdefault("occupation_3", "")
    return data


def record(actor, client, date, **profile):
    return conversation_record(
        actor=actor,
        client=client,
        conversation=conversation_input(date=date),
        profile=full_profile(**profile),
        origin=ORIGIN,
    )


@pytest.fixture
def fatima(client_factory):
    return client_factory(surname="Berg", first_names="Fatima", date_of_birth=dt.date(1980, 5, 1))


def create_url(client_obj):
    return reverse("web:conversation_create", args=[client_obj.pk])


# --- recording a first conversation -----------------------------------------------------------


def test_first_conversation_form_is_dutch_with_sections_and_unknown(client, coach, fatima):
    client.force_login(coach)
    response = client.get(create_url(fatima))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1" in body
    assert "Gesprek vastleggen" in body
    for anchor in ("deel-gesprek", "deel-belemmeringen", "deel-leefgebieden", "deel-werk"):
        assert f'href="#{anchor}"' in body
        assert f'id="{anchor}"' in body
    # ZRM: one fieldset per domain with its own help, and "onbekend" in a first conversation.
    assert body.count('name="zrm_financien"') == 6
    assert "Kan iemand rondkomen, betalingen bijhouden en schulden voorkomen?" in body
    assert 'value="onbekend"' in body
    # Reading the form (it would show the latest profile) is audited as a read of the profile.
    event = AuditEvent.objects.filter(action="profiles.profile.read").get()
    assert event.result == Result.ALLOWED


def test_recording_a_first_conversation_saves_it_whole(client, coach, fatima):
    client.force_login(coach)
    profile = full_profile(zrm=zrm(3, financien=None), available_from=timezone.localdate())
    data = form_data(conversation_input(date=dt.date(2025, 3, 4)), profile)
    response = client.post(create_url(fatima), data)
    assert response.status_code == 303, response.content.decode()[:3000]
    assert response["Location"] == reverse("web:client_detail", args=[fatima.pk]) + "#profiel"
    conversation = Conversation.objects.select_related("profile").get(client=fatima)
    assert conversation.place == "huisbezoek"
    assert conversation.conducted_by == coach
    snapshot = conversation.profile
    assert snapshot.talents == profile.talents
    assert snapshot.skills == ["koken", "Arabisch tolken"]
    assert sorted(snapshot.obstacles.values_list("category", "severity", "addressed")) == [
        ("schulden", 2, True),
        ("taal", 1, False),
    ]
    assert snapshot.zrm_scores.get(domain="financien").score is None
    assert snapshot.zrm_scores.get(domain="justitie").score == 3
    assert list(snapshot.work_experience.values_list("isco_code", flat=True)) == ["5120"]
    assert snapshot.other_languages == ["ar"]
    assert snapshot.ladder_current == 2
    event = AuditEvent.objects.get(action="profiles.conversation.create")
    assert event.detail["first"] is True
    assert "talent-tekst" not in str(event.detail)


def test_bad_input_is_explained_at_the_top_and_by_the_field_and_nothing_is_saved(
    client, coach, fatima
):
    client.force_login(coach)
    data = form_data(conversation_input(), full_profile(ladder_current=5, ladder_potential=3))
    data["date"] = "31-02-2025"  # not a date
    data["zrm_financien"] = ""  # 12 of 13 domains
    data["obstacle_huisvesting_note"] = "Woont tijdelijk bij zus"  # a note without a severity
    data["experience_0_occupation"] = "astronaut op Mars"  # not in the list
    data["hours_per_week"] = "veel"
    response = client.post(create_url(fatima), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert not Conversation.objects.exists()
    assert not AuditEvent.objects.filter(action="profiles.conversation.create").exists()
    summary = body[body.index('id="foutmeldingen"') :]
    summary = summary[: summary.index("</ul>")]
    assert "Er is niets opgeslagen" in summary
    links = re.findall(r'href="#([^"]+)"', summary)
    assert "id_date" in links
    assert "id_obstacle_huisvesting_severity" in links
    assert "id_experience_0_occupation" in links
    assert "id_hours_per_week" in links
    assert "Datum van het gesprek: vul een datum in als 31-12-2025." in summary
    assert "Belemmering huisvesting: kies de ernst" in summary
    assert "Uren per week beschikbaar: vul een heel getal in." in summary
    # The field itself is marked and described by its message.
    assert re.search(r'<input[^>]*name="hours_per_week"[^>]*aria-invalid="true"', body)
    assert 'id="id_hours_per_week_error"' in body
    # What was typed stays, so nothing has to be typed again.
    assert "Woont tijdelijk bij zus" in body


def test_service_checks_come_back_beside_their_fields(client, coach, fatima):
    """Meaning is the service's check: all 13 domains, the potential rung not below the current."""
    client.force_login(coach)
    data = form_data(conversation_input(), full_profile(ladder_current=5, ladder_potential=3))
    data["zrm_financien"] = ""
    response = client.post(create_url(fatima), data)
    assert response.status_code == 400
    body = response.content.decode()
    summary = body[body.index('id="foutmeldingen"') : body.index("</ul>", body.index("foutmel"))]
    assert 'href="#id_ladder_potential_0"' in summary
    assert "de haalbare trede kan niet lager zijn dan de huidige" in summary
    assert 'href="#id_zrm_financien_0"' in summary
    assert "vul alle 13 leefgebieden in" in summary
    assert not Conversation.objects.exists()


def test_skipping_the_zrm_records_no_assessment(client, coach, fatima):
    client.force_login(coach)
    data = form_data(conversation_input(), full_profile())
    data["zrm_skip"] = "on"
    data["zrm_financien"] = ""  # half filled, but skipped
    assert client.post(create_url(fatima), data).status_code == 303
    conversation = Conversation.objects.get(client=fatima)
    assert not conversation.profile.zrm_scores.exists()
    assert conversation.profile.zrm_complete is False


# --- a follow-up ----------------------------------------------------------------------------


def test_follow_up_starts_from_the_latest_profile(client, coach, fatima):
    record(coach, fatima, dt.date(2024, 1, 10), talents="Oud talent")
    record(coach, fatima, dt.date(2024, 6, 1), talents="Nieuw talent", zrm=zrm(4))
    client.force_login(coach)
    body = client.get(create_url(fatima)).content.decode()
    assert "Dit is een vervolggesprek" in body
    assert "1 juni 2024" in body
    assert "Nieuw talent" in body
    assert "Oud talent" not in body
    # The ZRM as it stood, checked; "onbekend" is no longer offered.
    assert re.search(r'name="zrm_financien" value="4" id="id_zrm_financien_3" checked', body)
    assert 'value="onbekend"' not in body
    # Not copied from the earlier conversation: its report, place and who was there.
    assert "geheime-notitie-tekst" not in body
    assert f'value="{timezone.localdate().isoformat()}"' in body


def test_follow_up_refuses_unknown_and_saves_what_changed(client, coach, fatima):
    record(coach, fatima, dt.date(2024, 1, 10), ladder_current=2, ladder_potential=4)
    client.force_login(coach)
    data = form_data(
        conversation_input(date=dt.date(2024, 6, 1)),
        full_profile(ladder_current=3, ladder_potential=4),
    )
    data["zrm_financien"] = "onbekend"
    response = client.post(create_url(fatima), data)
    assert response.status_code == 400
    assert "Financiën: kies een van de mogelijkheden." in response.content.decode()
    data["zrm_financien"] = "4"
    assert client.post(create_url(fatima), data).status_code == 303
    latest = Conversation.objects.filter(client=fatima).order_by("-date").first()
    assert latest.profile.ladder_current == 3
    assert latest.profile.zrm_scores.get(domain="financien").score == 4


# --- the door ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["other_team_coach", "analyst", "other_municipality_coach"])
def test_others_cannot_record_or_read(client, request, persona, coach, fatima):
    conversation = record(coach, fatima, dt.date(2024, 1, 10))
    client.force_login(request.getfixturevalue(persona))
    data = form_data(conversation_input(), full_profile())
    assert client.get(create_url(fatima)).status_code == 404
    assert client.post(create_url(fatima), data).status_code == 404
    detail = reverse("web:conversation_detail", args=[conversation.pk])
    edit = reverse("web:conversation_edit", args=[conversation.pk])
    assert client.get(detail).status_code == 404
    assert client.post(edit, {**data, "version": 1}).status_code == 404
    assert Conversation.objects.count() == 1
    denied = AuditEvent.objects.filter(result=Result.DENIED)
    assert {e.action for e in denied} >= {
        "profiles.profile.read",
        "profiles.conversation.create",
        "profiles.conversation.read",
        "profiles.conversation.update",
    }


# --- one conversation, and correcting it ------------------------------------------------------


def test_conversation_page_shows_it_and_is_audited(client, coach, fatima):
    conversation = record(coach, fatima, dt.date(2024, 1, 10))
    client.force_login(coach)
    response = client.get(reverse("web:conversation_detail", args=[conversation.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Gesprek van 10 januari 2024" in body
    assert "geheime-notitie-tekst" in body
    assert "Schulden: matig, wordt aangepakt" in body
    assert "Koks" in body or "5120" in body
    event = AuditEvent.objects.get(action="profiles.conversation.read")
    assert "geheime" not in str(event.detail)


def test_correcting_a_conversation_with_its_version(client, coach, fatima):
    conversation = record(coach, fatima, dt.date(2024, 1, 10))
    client.force_login(coach)
    url = reverse("web:conversation_edit", args=[conversation.pk])
    body = client.get(url).content.decode()
    assert re.search(r'<input type="hidden" name="version" value="1"', body)
    data = form_data(
        conversation_input(date=dt.date(2024, 1, 10), notes="Verslag aangevuld."),
        full_profile(talents="Kookt voor veertig mensen."),
        version=1,
    )
    response = client.post(url, data)
    assert response.status_code == 303
    conversation.refresh_from_db()
    assert conversation.version == 2
    assert conversation.notes == "Verslag aangevuld."
    assert conversation.profile.talents == "Kookt voor veertig mensen."
    event = AuditEvent.objects.get(action="profiles.conversation.update")
    assert set(event.detail["fields"]) == {"notes", "profile.talents"}


def test_a_stale_correction_is_a_conflict_and_overwrites_nothing(client, coach, team_lead, fatima):
    conversation = record(coach, fatima, dt.date(2024, 1, 10))
    client.force_login(coach)
    url = reverse("web:conversation_edit", args=[conversation.pk])
    data = form_data(
        conversation_input(date=dt.date(2024, 1, 10)),
        full_profile(wishes="Wens van de klantregisseur"),
        version=1,
    )
    # The team lead corrects it first.
    conversation_update(
        actor=team_lead,
        conversation=Conversation.objects.get(pk=conversation.pk),
        expected_version=1,
        data=conversation_input(date=dt.date(2024, 1, 10)),
        profile=full_profile(wishes="Wens van de teamleider"),
        origin=ORIGIN,
    )
    response = client.post(url, data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft dit gesprek gewijzigd terwijl u bezig was." in body
    table = body[body.index("Het gesprek nu, en wat u had ingevuld") :]
    assert "Wens van de teamleider" in table
    assert "Wens van de klantregisseur" in table
    # The form now holds the stored conversation and its new version.
    assert re.search(r'<input type="hidden" name="version" value="2"', body)
    conversation.refresh_from_db()
    assert conversation.profile.wishes == "Wens van de teamleider"
    assert conversation.version == 2


def test_correcting_the_first_conversation_still_allows_unknown(client, coach, fatima):
    first = record(coach, fatima, dt.date(2024, 1, 10), zrm=zrm(3, justitie=None))
    later = record(coach, fatima, dt.date(2024, 6, 1))
    client.force_login(coach)
    body = client.get(reverse("web:conversation_edit", args=[first.pk])).content.decode()
    assert re.search(r'name="zrm_justitie" value="onbekend" id="[^"]+" checked', body)
    body = client.get(reverse("web:conversation_edit", args=[later.pk])).content.decode()
    assert 'value="onbekend"' not in body


# --- the client page -------------------------------------------------------------------------


def test_client_page_shows_profile_history_change_and_big_step(client, coach, fatima):
    record(
        coach,
        fatima,
        dt.date(2024, 1, 10),
        ladder_current=2,
        ladder_potential=4,
        zrm=zrm(2),
        obstacles=[ObstacleInput(category="schulden", severity=3)],
    )
    record(
        coach,
        fatima,
        dt.date(2024, 4, 1),
        ladder_current=3,
        ladder_potential=4,
        zrm=zrm(2, financien=4, huisvesting=1),
        obstacles=[ObstacleInput(category="taal", severity=1)],
    )
    client.force_login(coach)
    response = client.get(reverse("web:client_detail", args=[fatima.pk]))
    body = response.content.decode()
    profile = body[body.index('id="profiel"') : body.index('id="household"')]
    assert 'href="' + create_url(fatima) + '"' in profile
    assert "Uit het laatste gesprek, van 1 april 2024" in profile
    # Completeness.
    assert '<meter id="profiel-volledigheid"' in profile
    assert "100% (7 van 7 onderdelen)" in profile
    # The change, with arrows and words.
    assert "Veranderd sinds het gesprek van 10 januari 2024" in profile
    assert 'Financiën <span class="meedoen-change meedoen-change--up">' in profile
    assert "+2 vooruit" in profile
    assert "\N{MINUS SIGN}1 achteruit" in profile
    assert "Nieuwe belemmeringen: taal; niet meer genoemd: schulden" in profile
    # A big step forward: 2 -> 3 within half a year, visible as text, in the chart and the table.
    assert "Grote stap vooruit" in profile
    assert "van trede 2 (gesprek van 10 januari 2024) naar trede 3" in profile
    # Charts: images with a name and a description, each with its table.
    assert '<title id="grafiek-ladder-titel">Participatieladder per gesprek</title>' in profile
    assert 'role="img"' in profile
    assert profile.count("<svg") == 14  # the ladder and 13 life domains
    assert '<caption class="utrecht-table__caption" id="tabel-ladder-bijschrift">' in profile
    assert '<caption class="utrecht-table__caption" id="tabel-zrm-bijschrift">' in profile
    assert 'scope="row"' in profile
    assert "grote stap vooruit</text>" in profile
    # The list of conversations, each linked.
    for conversation in Conversation.objects.filter(client=fatima):
        link = reverse("web:conversation_detail", args=[conversation.pk])
        assert profile.count(f'href="{link}"') == 2  # the ladder table and the list


def test_client_page_without_conversations_invites_the_first(client, coach, fatima):
    client.force_login(coach)
    body = client.get(reverse("web:client_detail", args=[fatima.pk])).content.decode()
    assert "Er is nog geen gesprek met deze cliënt vastgelegd." in body
    assert create_url(fatima) in body


def test_client_page_queries_do_not_grow_with_history(
    client, coach, client_factory, django_assert_max_num_queries, django_assert_num_queries
):
    short = client_factory()
    long = client_factory()
    start = dt.date(2022, 1, 1)
    for n in range(2):
        record(coach, short, start + dt.timedelta(days=90 * n), ladder_current=2 + n % 3)
    for n in range(10):
        record(coach, long, start + dt.timedelta(days=90 * n), ladder_current=2 + n % 3)
    client.force_login(coach)
    client.get(reverse("web:client_detail", args=[short.pk]))  # warm the session
    # The registry part of the page (web/tests/test_views.py) plus 10 for the profile: the latest
    # conversation with its profile (6), the history (3) and the list of conversations (1).
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("web:client_detail", args=[short.pk]))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("web:client_detail", args=[long.pk]))
    assert len(response.context["conversations"]) == 10
    assert len(response.context["history"].ladder_rows) == 10


def test_conversation_pages_queries_do_not_grow_with_history(
    client, coach, client_factory, django_assert_max_num_queries, django_assert_num_queries
):
    short = client_factory()
    long = client_factory()
    for n in range(2):
        record(coach, short, dt.date(2022, 1, 1) + dt.timedelta(days=90 * n))
    for n in range(10):
        record(coach, long, dt.date(2022, 1, 1) + dt.timedelta(days=90 * n))
    client.force_login(coach)
    client.get(create_url(short))
    with django_assert_max_num_queries(15) as few:
        client.get(create_url(short))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(create_url(long))
    detail = reverse("web:conversation_detail", args=[long.conversations.first().pk])
    with django_assert_max_num_queries(15):
        client.get(detail)


# --- in kaart gebracht per wijk ------------------------------------------------------------


def test_overview_counts_the_own_caseload_per_wijk(client, coach, colleague, client_factory):
    spoken = client_factory(district_code="WK051829", district_name="Schilderswijk")
    profiled = client_factory(district_code="WK051829", district_name="Schilderswijk")
    client_factory(district_code="WK051830", district_name="Transvaalkwartier")
    other = client_factory(coach=colleague, district_code="WK051830", district_name="Transvaal")
    record(coach, spoken, dt.date(2024, 1, 1), wishes="")
    record(coach, profiled, dt.date(2024, 1, 1))
    record(colleague, other, dt.date(2024, 1, 1))
    client.force_login(coach)
    response = client.get(reverse("web:profile_overview"))
    assert response.status_code == 200
    rows = {row.district_code: row for _, row in response.context["rows"]}
    assert (rows["WK051829"].clients, rows["WK051829"].spoken, rows["WK051829"].profiled) == (
        2,
        2,
        1,
    )
    assert (rows["WK051830"].clients, rows["WK051830"].spoken) == (1, 0)  # not the colleague's
    body = response.content.decode()
    assert "Van uw eigen caseload" in body
    assert '<title id="grafiek-in-kaart-titel">In kaart gebracht per wijk</title>' in body
    assert "Gesproken en in kaart gebracht per wijk" in body
    # Counts only: no names.
    assert spoken.surname not in body
    assert AuditEvent.objects.get(action="profiles.overview.read").detail["districts"] == 2


def test_overview_for_a_team_lead_and_a_period(client, team_lead, coach, colleague, client_factory):
    mine = client_factory()
    theirs = client_factory(coach=colleague)
    record(coach, mine, dt.date(2023, 1, 1))
    record(colleague, theirs, dt.date(2024, 6, 1))
    client.force_login(team_lead)
    response = client.get(reverse("web:profile_overview"))
    (row,) = [row for _, row in response.context["rows"]]
    assert (row.clients, row.spoken) == (2, 2)
    assert "Van de cliënten van uw team" in response.content.decode()
    response = client.get(reverse("web:profile_overview"), {"vanaf": "2024-01-01"})
    (row,) = [row for _, row in response.context["rows"]]
    assert row.spoken == 1
    assert "met gesprekken vanaf 1 januari 2024" in response.content.decode()
    response = client.get(reverse("web:profile_overview"), {"vanaf": "2024-01-01", "tot": "2023"})
    assert "Tot en met: vul een datum in als 31-12-2025." in response.content.decode()


@pytest.mark.parametrize("persona", ["analyst", "privacy_officer", "functional_admin"])
def test_overview_is_not_there_for_other_roles(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("web:profile_overview")).status_code == 404
    event = AuditEvent.objects.get(action="profiles.overview.read")
    assert event.result == Result.DENIED


def test_overview_queries_do_not_grow_with_wijken(
    client, coach, client_factory, django_assert_max_num_queries, django_assert_num_queries
):
    client_factory(district_code="WK1", district_name="Een")
    client.force_login(coach)
    client.get(reverse("web:profile_overview"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("web:profile_overview"))
    for n in range(6):
        record(
            coach,
            client_factory(district_code=f"WK{n}", district_name=f"Wijk {n}"),
            dt.date(2024, 1, 1),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("web:profile_overview"))


def test_occupation_code_reads_code_title_or_name():
    assert occupation_code("5120") == "5120"
    assert occupation_code("5120 Koks") == "5120"
    assert occupation_code("  9112 Schoonmakers") == "9112"
    assert occupation_code("onbekend beroep") == "onbekend beroep"
