import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meedoen.audit.models import AuditEvent
from meedoen.clients.models import Client
from meedoen.clients.tests.factories import test_bsn as make_bsn
from meedoen.dataexchange.columns import COLUMN_NAMES
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.models import ImportRun

pytestmark = pytest.mark.django_db

LIST = "/api/v1/imports/"


def delivery(rows):
    """A CSV delivery as the benefit administration sends it: `;`, UTF-8, header row."""
    lines = [";".join(COLUMN_NAMES)]
    for row in rows:
        lines.append(";".join(row.get(name, "") for name in COLUMN_NAMES))
    return ("\r\n".join(lines) + "\r\n").encode()


def person(n, **values):
    return {
        "klantnummer": f"K{n:07d}",
        "bsn": make_bsn(100 + n),
        "voornamen": "Fatima",
        "achternaam": f"Berg{n}",
        "geboortedatum": "1978-04-23",
        "geslacht": "V",
        "huishoudnummer": f"H{n:07d}",
        "rol": "aanvrager",
        "postcode": "2526 AB",
        "huisnummer": str(n),
        "straat": "Hoefkade",
        "woonplaats": "'s-Gravenhage",
        "wijkcode": "WK051828",
        "wijknaam": "Schilderswijk",
        "uitkering_soort": "alleenstaande",
        "uitkering_ingang": "2016-01-01",
        **values,
    }


def upload(api, content, name="levering.csv", **extra):
    return api.post(
        LIST, {"file": SimpleUploadedFile(name, content, "text/csv"), **extra}, format="multipart"
    )


@pytest.fixture
def run_worker(monkeypatch):
    """The real worker of the database task backend: processes the queue, then stops.

    The worker drops "old" connections between tasks; inside a test's transaction that would
    close the test's own connection on PostgreSQL, so only that housekeeping is switched off.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def _run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
        failed = DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL)
        assert not failed.exists(), list(failed.values("task_path", "status"))

    return _run


def test_upload_check_apply_through_the_worker(
    login, functional_admin, django_capture_on_commit_callbacks, run_worker
):
    api = login(functional_admin)
    content = delivery([person(1), person(2)])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(api, content, reference_date="2025-01-31")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == ImportStatus.UPLOADED
    assert body["file_name"] == "levering.csv"
    assert body["reference_date"] == "2025-01-31"
    # The check was queued for the worker once the upload committed.
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    detail = f"{LIST}{body['id']}/"

    run_worker()
    body = api.get(detail).json()
    assert body["status"] == ImportStatus.READY, body
    assert body["counts"] == {"new": 2, "changed": 0, "unchanged": 0, "ended": 0, "errors": 0}
    assert body["progress"] == {"rows_total": 2, "rows_done": 2, "percent": 100}
    assert not Client.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{detail}apply/")
    assert response.status_code == 202
    assert response.json()["status"] == ImportStatus.APPLYING
    run_worker()
    body = api.get(detail).json()
    assert body["status"] == ImportStatus.APPLIED, body
    assert body["applied_by_name"] == "beheerder"
    assert Client.objects.count() == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"dataexchange.import.upload", "dataexchange.import.apply_request"} <= actions

    # Applied once: applying again is a conflict, in Dutch.
    response = api.post(f"{detail}apply/")
    assert response.status_code == 409
    assert "kan niet worden toegepast" in response.json()["detail"]


def test_apply_before_the_check_is_a_409(login, functional_admin):
    api = login(functional_admin)
    run_id = upload(api, delivery([person(1)])).json()["id"]
    response = api.post(f"{LIST}{run_id}/apply/")
    assert response.status_code == 409
    assert ImportRun.objects.get().status == ImportStatus.UPLOADED


def test_invalid_file_ends_invalid_with_row_and_column(
    login, functional_admin, django_capture_on_commit_callbacks, run_worker
):
    api = login(functional_admin)
    bad = person(1, bsn="123456789")
    with django_capture_on_commit_callbacks(execute=True):
        run_id = upload(api, delivery([bad, person(2)])).json()["id"]
    run_worker()
    response = api.get(f"{LIST}{run_id}/")
    body = response.json()
    assert body["status"] == ImportStatus.INVALID
    assert body["counts"]["errors"] >= 1
    error = body["errors"][0]
    assert (error["row"], error["column"]) == (2, "bsn")
    assert b"123456789" not in response.content
    assert api.post(f"{LIST}{run_id}/apply/").status_code == 409
    assert not Client.objects.exists()


def test_upload_validation_names_the_field_in_dutch(login, functional_admin):
    api = login(functional_admin)
    response = api.post(LIST, {}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["Er is geen bestand opgestuurd."]}
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = upload(api, delivery([person(1)]), reference_date=future)
    assert response.status_code == 400
    assert response.json() == {"reference_date": ["De peildatum mag niet in de toekomst liggen."]}
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize(
    "persona", ["coach", "team_lead", "analyst", "privacy_officer", "other_municipality_coach"]
)
def test_only_the_functional_admin_may_import(persona, request, login, functional_admin):
    run_id = upload(login(functional_admin), delivery([person(1)])).json()["id"]
    api = login(request.getfixturevalue(persona))
    assert api.get(LIST).status_code == 404
    assert api.get(f"{LIST}{run_id}/").status_code == 404
    assert upload(api, delivery([person(2)])).status_code == 404
    assert api.post(f"{LIST}{run_id}/apply/").status_code == 404
    assert ImportRun.objects.count() == 1


def test_anonymous_may_not_import(api):
    assert upload(api, delivery([person(1)])).status_code in (401, 403)
    assert not ImportRun.objects.exists()


def test_runs_of_another_municipality_are_not_found(login, functional_admin, other_municipality):
    from meedoen.accounts.constants import Role
    from meedoen.accounts.models import User

    run_id = upload(login(functional_admin), delivery([person(1)])).json()["id"]
    other_admin = User.objects.create_user(
        username="beheer-rotterdam", municipality=other_municipality, role=Role.FUNCTIONAL_ADMIN
    )
    api = login(other_admin)
    assert api.get(LIST).json()["results"] == []
    assert api.get(f"{LIST}{run_id}/").status_code == 404
    assert api.post(f"{LIST}{run_id}/apply/").status_code == 404


@pytest.mark.parametrize("runs", [1, 6])
def test_list_newest_first_with_a_fixed_number_of_queries(
    login, functional_admin, django_assert_max_num_queries, runs
):
    api = login(functional_admin)
    ids = [upload(api, delivery([person(n)])).json()["id"] for n in range(1, runs + 1)]
    # session, user, runs, session save (3 with its savepoint)
    with django_assert_max_num_queries(6):
        response = api.get(LIST)
    body = response.json()
    assert [row["id"] for row in body["results"]] == ids[::-1]
    assert set(body["results"][0]) >= {"status", "progress", "counts", "errors"}
    assert "content" not in body["results"][0]
