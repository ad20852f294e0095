"""POST /api/v1/effects/evaluate/: the JSON of `meedoen effect` for an uploaded CSV."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meedoen.api import effects as effects_api
from meedoen.audit.models import AuditEvent
from meedoen.effects.synthetic import CSV_COVARIATES, make_synthetic

pytestmark = pytest.mark.django_db
URL = reverse("api:effect-evaluate")


@pytest.fixture(scope="module")
def csv_bytes():
    return make_synthetic(600, seed=9).to_csv().encode("utf-8")


def _body(csv_bytes, **overrides):
    body = {
        "csv": SimpleUploadedFile("tabel.csv", csv_bytes, content_type="text/csv"),
        "treatment": "deelname",
        "outcome": "uitkomst",
        "covariates": ",".join(CSV_COVARIATES),
        "placebo_outcome": "voormeting",
        "bootstrap": 50,
        "seed": 4,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def test_analyst_gets_the_report_and_the_run_is_audited(login, analyst, csv_bytes):
    api = login(analyst)
    response = api.post(URL, _body(csv_bytes), format="multipart")
    assert response.status_code == 200, response.content
    payload = response.json()
    assert {"matching", "ipw", "aipw", "naive_difference", "balance", "overlap"} <= set(payload)
    assert {"placebo", "mde", "verdict", "reasons"} <= set(payload)
    assert set(payload["aipw"]) == {"estimate", "ci_low", "ci_high", "n_treated", "n_control"}
    again = api.post(URL, _body(csv_bytes), format="multipart").json()
    assert again == payload
    event = AuditEvent.objects.filter(action="analytics.effect_evaluation.run").latest("seq")
    assert event.detail["rows"] == 600


def test_functional_admin_may_too_and_method_selects(login, functional_admin, csv_bytes):
    response = login(functional_admin).post(URL, _body(csv_bytes, method="ipw"), format="multipart")
    assert response.status_code == 200
    assert "ipw" in response.json()
    assert "aipw" not in response.json()


def test_coach_finds_no_such_endpoint(login, coach, csv_bytes):
    response = login(coach).post(URL, _body(csv_bytes), format="multipart")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"treatment": "trede", "covariates": "zrm"}, "treatment", "moet 0 of 1 zijn"),
        ({"covariates": "leeftijd,opleiding"}, "covariates", "'opleiding' ontbreekt"),
        ({"placebo_outcome": "nulmeting"}, "placebo_outcome", "'nulmeting' ontbreekt"),
        ({"outcome": "wijk", "covariates": "zrm"}, "outcome", "moet getallen bevatten"),
        ({"csv": None}, "csv", ""),
    ],
)
def test_bad_input_is_a_400_with_a_dutch_message(
    login, analyst, csv_bytes, overrides, field, message
):
    response = login(analyst).post(URL, _body(csv_bytes, **overrides), format="multipart")
    assert response.status_code == 400
    assert message in response.json()[field][0]


def test_too_few_treated_is_a_400(login, analyst):
    rows = ["d,u,x"] + [f"{1 if i < 5 else 0},{i},{i % 3}" for i in range(100)]
    body = _body("\n".join(rows).encode(), treatment="d", outcome="u", covariates="x")
    body.pop("placebo_outcome")
    response = login(analyst).post(URL, body, format="multipart")
    assert response.status_code == 400
    assert "minstens 20" in response.json()["treatment"][0]


def test_too_many_rows_is_a_413(login, analyst, csv_bytes, monkeypatch):
    monkeypatch.setattr(effects_api, "MAX_ROWS", 100)
    response = login(analyst).post(URL, _body(csv_bytes), format="multipart")
    assert response.status_code == 413
    assert "te veel regels" in response.json()["csv"][0]


def test_schema_documents_the_endpoint(login, analyst):
    schema = login(analyst).get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/effects/evaluate/"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"200", "400", "413"} <= set(operation["responses"])
