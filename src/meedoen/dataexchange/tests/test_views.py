"""The import pages: who may see them, upload → check → preview → apply, and the worker."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.audit.models import AuditEvent
from meedoen.clients.models import Client
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.models import ImportRun
from meedoen.dataexchange.tests.delivery import csv_bytes, person, xlsx_bytes

pytestmark = pytest.mark.django_db

LIST = reverse("dataexchange:run_list")


def upload_data(content: bytes, name: str = "levering.csv", date: str = "2025-01-31") -> dict:
    return {"bestand": SimpleUploadedFile(name, content), "peildatum": date}


@pytest.fixture
def admin_client(client, functional_admin):
    client.force_login(functional_admin)
    return client


@pytest.fixture
def ready_run(run_import):
    return run_import([person(1), person(2)], dry_run=True)


def test_upload_check_preview_apply_through_the_worker(
    admin_client, django_capture_on_commit_callbacks, run_worker
):
    content = csv_bytes([person(1), person(2), person(3)])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(LIST, upload_data(content))
    assert response.status_code == 303
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("dataexchange:run_detail", args=[run.pk])
    assert run.status == ImportStatus.UPLOADED

    waiting = admin_client.get(response["Location"])
    assert b"Het bestand wacht op controle." in waiting.content
    assert DBTaskResult.objects.count() == 1

    run_worker()
    run.refresh_from_db()
    assert run.status == ImportStatus.READY, run.errors
    assert not Client.objects.exists()

    preview = admin_client.get(response["Location"]).content.decode()
    assert "Wat er verandert bij toepassen" in preview
    assert "K0000001" in preview
    assert "Toepassen" in preview
    assert person(1)["bsn"] not in preview
    assert "Achternaam1" not in preview

    with django_capture_on_commit_callbacks(execute=True):
        applied = admin_client.post(reverse("dataexchange:run_apply", args=[run.pk]))
    assert applied.status_code == 303
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLYING
    assert (
        "De wijzigingen worden opgeslagen."
        in admin_client.get(response["Location"]).content.decode()
    )

    run_worker()
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert run.applied_by_name == "beheerder"
    assert Client.objects.count() == 3
    assert "De levering is toegepast." in admin_client.get(response["Location"]).content.decode()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "dataexchange.import.upload",
        "dataexchange.import.analyse",
        "dataexchange.import.apply_request",
        "dataexchange.import.apply",
        "dataexchange.import.read",
    } <= actions


def test_an_xlsx_upload(admin_client, django_capture_on_commit_callbacks, run_worker):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(LIST, upload_data(xlsx_bytes([person(1)]), name="levering.xlsx"))
    run_worker()
    assert ImportRun.objects.get().status == ImportStatus.READY


def test_a_busy_run_refreshes_itself(admin_client, functional_admin, municipality):
    run = ImportRun.objects.create(
        municipality=municipality,
        file_name="a.csv",
        checksum="0" * 64,
        reference_date="2025-01-31",
        status=ImportStatus.ANALYSING,
        rows_total=27000,
        rows_done=9000,
    )
    page = admin_client.get(reverse("dataexchange:run_detail", args=[run.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert '<progress id="run-progress" max="27000" value="9000">33%</progress>' in page
    assert "9000 van 27000 regels gecontroleerd." in page
    assert 'hx-trigger="every 2s"' in page
    assert 'hx-select="#run-status"' in page
    assert "Toepassen" not in page


def test_a_finished_run_does_not_refresh(admin_client, ready_run):
    page = admin_client.get(
        reverse("dataexchange:run_detail", args=[ready_run.pk])
    ).content.decode()
    assert "refresh" not in page
    assert "hx-trigger" not in page


def test_an_invalid_file_shows_the_errors(admin_client, run_import):
    run = run_import([person(1), person(2, geboortedatum="31-02-1980")], dry_run=True)
    page = admin_client.get(reverse("dataexchange:run_detail", args=[run.pk])).content.decode()
    assert "Het bestand is afgekeurd: 1 fout. Er is niets opgeslagen." in page
    assert "<code>geboortedatum</code>" in page
    assert "geen geldige datum" in page
    assert "31-02-1980" not in page


def test_the_preview_warns_about_benefits_that_end(admin_client, run_import):
    run_import([person(1), person(2)])
    run = run_import(
        [person(1)], dry_run=True, reference_date=__import__("datetime").date(2025, 2, 28)
    )
    page = admin_client.get(reverse("dataexchange:run_detail", args=[run.pk])).content.decode()
    assert "1 cliënt met een lopende uitkering staat niet in dit bestand." in page


def test_the_same_file_again_is_pointed_out(admin_client, run_import):
    run_import([person(1)])
    run = run_import([person(1)], dry_run=True)
    page = admin_client.get(reverse("dataexchange:run_detail", args=[run.pk])).content.decode()
    assert "Precies hetzelfde bestand is al op" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            upload_data(b"x", date="2999-01-01"),
            "peildatum",
            "De peildatum mag niet in de toekomst liggen.",
        ),
        (upload_data(b"x", name="levering.pdf"), "bestand", "Kies een CSV- of XLSX-bestand"),
        ({"peildatum": "2025-01-31"}, "bestand", "Dit veld is vereist."),
    ],
)
def test_upload_form_errors(admin_client, data, field, message):
    response = admin_client.post(LIST, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_apply_twice_and_discard(admin_client, ready_run, django_capture_on_commit_callbacks):
    apply_url = reverse("dataexchange:run_apply", args=[ready_run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(apply_url)
        second = admin_client.post(apply_url, follow=True)
    assert "Deze import kan niet (meer) worden toegepast." in second.content.decode()
    assert DBTaskResult.objects.count() == 1
    discard = admin_client.post(
        reverse("dataexchange:run_discard", args=[ready_run.pk]), follow=True
    )
    assert "Deze import kan niet (meer) worden verworpen." in discard.content.decode()


def test_discard_a_ready_run(admin_client, ready_run):
    page = admin_client.post(reverse("dataexchange:run_discard", args=[ready_run.pk]), follow=True)
    assert "De import is verworpen; het bestand is gewist." in page.content.decode()
    ready_run.refresh_from_db()
    assert ready_run.status == ImportStatus.DISCARDED


def test_apply_needs_post(admin_client, ready_run):
    assert (
        admin_client.get(reverse("dataexchange:run_apply", args=[ready_run.pk])).status_code == 405
    )


@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_template_downloads(admin_client, file_format, content_type):
    response = admin_client.get(reverse("dataexchange:template", args=[file_format]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert f'filename="levering-sjabloon.{file_format}"' in response["Content-Disposition"]


def test_unknown_template_format(admin_client):
    assert admin_client.get("/import/sjabloon.pdf").status_code == 404


def test_the_list_page(admin_client, run_import):
    run_import([person(1)], file_name="januari.csv")
    page = admin_client.get(LIST).content.decode()
    assert page.count("<h1") == 1
    assert "januari.csv" in page
    assert "Toegepast" in page
    assert 'scope="col"' in page
    assert 'for="id_bestand"' in page
    assert 'for="id_peildatum"' in page


def test_the_run_list_takes_a_fixed_number_of_queries(
    admin_client, municipality, django_assert_max_num_queries
):
    def add_runs(n):
        for i in range(n):
            ImportRun.objects.create(
                municipality=municipality,
                file_name=f"{i}.csv",
                checksum="0" * 64,
                reference_date="2025-01-31",
                content=b"x" * 1000,
                errors=[{"row": 2, "column": "bsn", "message": "x"}],
            )

    add_runs(2)
    with django_assert_max_num_queries(8) as few:
        admin_client.get(LIST)
    add_runs(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(LIST)
    listing = [q["sql"] for q in few.captured_queries if "dataexchange_importrun" in q["sql"]]
    assert listing
    assert all('"content"' not in sql for sql in listing)


# Who may not: a 404 for every page, as for a client they may not see, and nothing happens.


@pytest.fixture
def other_admin(other_municipality):
    return User.objects.create_user(
        username="beheerder-rotterdam",
        password="correct-horse-battery-staple",
        municipality=other_municipality,
        role=Role.FUNCTIONAL_ADMIN,
    )


@pytest.fixture
def superuser_without_municipality():
    return User.objects.create_superuser(username="root", password="correct-horse-battery-staple")


@pytest.mark.parametrize(
    "persona",
    [
        "coach",
        "team_lead",
        "analyst",
        "privacy_officer",
        "other_municipality_coach",
        "superuser_without_municipality",
    ],
)
def test_everyone_else_gets_a_404(
    client, request, persona, ready_run, django_capture_on_commit_callbacks
):
    client.force_login(request.getfixturevalue(persona))
    detail = reverse("dataexchange:run_detail", args=[ready_run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(LIST),
            client.post(LIST, upload_data(csv_bytes([person(5)]))),
            client.get(detail),
            client.post(reverse("dataexchange:run_apply", args=[ready_run.pk])),
            client.post(reverse("dataexchange:run_discard", args=[ready_run.pk])),
            client.get(reverse("dataexchange:template", args=["csv"])),
        ]
    assert [r.status_code for r in responses] == [404] * 6
    assert ImportRun.objects.count() == 1
    ready_run.refresh_from_db()
    assert ready_run.status == ImportStatus.READY
    assert not DBTaskResult.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="dataexchange.import.read").exists()


def test_the_admin_of_another_municipality_sees_only_their_own_runs(client, other_admin, ready_run):
    client.force_login(other_admin)
    assert "levering.csv" not in client.get(LIST).content.decode()
    for name in ("run_detail",):
        assert client.get(reverse(f"dataexchange:{name}", args=[ready_run.pk])).status_code == 404
    for name in ("run_apply", "run_discard"):
        assert client.post(reverse(f"dataexchange:{name}", args=[ready_run.pk])).status_code == 404
    ready_run.refresh_from_db()
    assert ready_run.status == ImportStatus.READY


def test_anonymous_goes_to_the_login_page(client, ready_run):
    for url in (LIST, reverse("dataexchange:run_detail", args=[ready_run.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_a_run_id_that_does_not_exist(admin_client):
    assert admin_client.get("/import/00000000-0000-0000-0000-000000000000/").status_code == 404
