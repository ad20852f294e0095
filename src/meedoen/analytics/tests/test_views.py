"""The analyst's page and downloads: only the analyst, own municipality, audited, suppressed,
and a fixed number of queries whatever the number of clients."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.analytics.constants import Purpose
from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.clients.constants import HouseholdRole
from meedoen.clients.models import BenefitPeriod
from meedoen.clients.tests.factories import ClientFactory

OVERVIEW = reverse("analytics:overview")
CSV = reverse("analytics:dataset_export", args=["csv"])
XLSX = reverse("analytics:dataset_export", args=["xlsx"])
pytestmark = pytest.mark.django_db


def rows_of(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def in_wijk(factory, n, code, name, **overrides):
    return [
        factory(district_code=code, district_name=name, postcode="2571AA", **overrides)
        for _ in range(n)
    ]


def test_the_analyst_sees_counts_per_wijk_with_small_ones_suppressed(
    client, analyst, client_factory
):
    in_wijk(client_factory, 12, "WK051830", "Transvaalkwartier")
    in_wijk(client_factory, 25, "WK051829", "Schilderswijk")
    in_wijk(client_factory, 3, "WK051838", "Laakkwartier en Spoorwijk")
    client.force_login(analyst)
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    body = response.content.decode()
    overview = response.context["overview"]
    rows = {row.category.code: row for row in overview.districts}
    assert rows["WK051830"].clients.value == 12
    assert rows["WK051838"].clients.label == "< 10"
    assert rows["WK051838"].clients.value is None
    assert overview.clients_total.value == 40
    # The small count is nowhere: not in the table, not in the chart.
    laak = body[body.index("Laakkwartier en Spoorwijk") :][:400]
    assert "&lt; 10" in laak
    assert not re.search(r">\s*3\s*<", body)
    # The chart is a picture of the table, with a name and a description.
    # Three charts of the registry, two of the profiles (obstacles, ZRM scores: issue 4).
    assert body.count('role="img"') == 5
    assert '<title id="grafiek-wijken-titel">Cliënten per wijk</title>' in body
    assert 'aria-labelledby="grafiek-wijken-titel grafiek-wijken-beschrijving"' in body
    assert "<caption" in body
    assert "Cliënten per wijk en leeftijdsklasse" in body
    # Only counts: no name, client number or household reference of anyone.
    for marker in ("Achternaam", "Voornaam", "K00", "H00"):
        assert marker not in body
    # Links to both downloads.
    assert CSV in body
    assert XLSX in body


def test_reading_the_overview_is_audited(client, analyst, client_factory):
    client_factory()
    client.force_login(analyst)
    client.get(OVERVIEW)
    event = AuditEvent.objects.get(action="analytics.overview.read")
    assert event.actor_id == analyst.pk
    assert event.result == Result.ALLOWED
    assert event.purpose == "analytics.overview"
    assert event.subject_pseudonym == ""
    assert event.object_id == ""


@pytest.mark.parametrize(
    "persona",
    ["coach", "team_lead", "privacy_officer", "functional_admin", "other_municipality_coach"],
)
@pytest.mark.parametrize("url", [OVERVIEW, CSV, XLSX])
def test_every_other_role_gets_404_and_the_attempt_is_audited(
    request, client, client_factory, persona, url
):
    client_factory()
    actor = request.getfixturevalue(persona)
    client.force_login(actor)
    response = client.get(url)
    assert response.status_code == 404
    assert "pseudoniem" not in response.content.decode()
    event = AuditEvent.objects.get(actor_id=actor.pk, action__startswith="analytics.")
    assert event.result == Result.DENIED


def test_anonymous_goes_to_the_login_page(client):
    for url in (OVERVIEW, CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))
    assert not AuditEvent.objects.filter(action__startswith="analytics.").exists()


def test_only_get(client, analyst):
    client.force_login(analyst)
    assert client.post(OVERVIEW).status_code == 405
    assert client.post(CSV).status_code == 405


def test_an_unknown_format_does_not_exist(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("analytics:dataset_export", args=["pdf"])).status_code == 404
    assert not AuditEvent.objects.filter(action="analytics.dataset.export").exists()


def test_csv_download_is_the_dataset_of_the_own_municipality_and_audited(
    client, analyst, client_factory, other_municipality
):
    mine = [client_factory() for _ in range(4)]
    other = ClientFactory(other_municipality)
    other()
    client.force_login(analyst)
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="meedoen-dataset-0518')
    rows = rows_of(response)
    assert len(rows) == len(mine)
    assert {row["doel"] for row in rows} == {Purpose.DATASET}
    event = AuditEvent.objects.get(action="analytics.dataset.export")
    assert event.purpose == Purpose.DATASET
    assert event.detail["rows"] == 4
    assert event.detail["format"] == "csv"
    assert event.subject_pseudonym == ""
    assert event.object_id == ""
    # Not even the pseudonyms go into the audit trail.
    assert not any(row["pseudoniem"] in str(event.detail) for row in rows)

    rotterdam = User.objects.create_user(
        username="analist-rotterdam", municipality=other_municipality, role=Role.ANALYST
    )
    client.force_login(rotterdam)
    assert len(rows_of(client.get(CSV))) == 1


def test_xlsx_download_holds_the_same_rows_and_an_explanation(client, analyst, client_factory):
    for _ in range(3):
        client_factory()
    client.force_login(analyst)
    csv_rows = rows_of(client.get(CSV))
    response = client.get(XLSX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Dataset", "Toelichting"]
    header, *values = list(workbook["Dataset"].values)
    assert [dict(zip(header, row, strict=True)) for row in values] == csv_rows
    about = {row[0]: row[1] for row in workbook["Toelichting"].values if row and row[0]}
    assert about["Doel"] == Purpose.DATASET
    assert about["Aantal rijen"] == 3
    formats = set(
        AuditEvent.objects.filter(action="analytics.dataset.export").values_list(
            "detail__format", flat=True
        )
    )
    assert formats == {"csv", "xlsx"}


def test_a_row_describes_the_client_in_bands(client, analyst, client_factory):
    applicant = client_factory(
        date_of_birth=dt.date(1980, 5, 1), country_of_birth="MA", district_name="Schilderswijk"
    )
    client_factory(
        household=applicant.household,
        role=HouseholdRole.CHILD,
        date_of_birth=dt.date(2015, 1, 1),
        country_of_birth="NL",
    )
    # The child has no benefit of its own; the applicant's benefit runs since 2019.
    BenefitPeriod.objects.filter(client__household=applicant.household).exclude(
        client=applicant
    ).delete()
    client.force_login(analyst)
    rows = sorted(rows_of(client.get(CSV)), key=lambda r: r["rol_in_huishouden"])
    parent, child = rows
    assert parent["rol_in_huishouden"] == "aanvrager"
    assert parent["huishoudtype"] == "eenoudergezin" == child["huishoudtype"]
    assert parent["huishoudgrootte"] == "2"
    assert parent["herkomstgroep"] == "niet_westers"
    assert child["herkomstgroep"] == "nederland"
    assert parent["lopende_uitkering"] == "ja"
    assert parent["uitkeringsduur"] in ("5+", "2-5")
    assert child["lopende_uitkering"] == "nee"
    assert child["uitkeringsduur"] == "geen"
    assert child["leeftijdsklasse"] == "0-17"
    assert parent["wijkcode"] == "WK051828"
    assert parent["wijknaam"] == "Schilderswijk"


def test_query_counts_do_not_grow_with_the_number_of_clients(
    client, analyst, client_factory, django_assert_max_num_queries
):
    client_factory()
    client.force_login(analyst)
    # 12 for the registry figures, 4 for the profile figures (clients, obstacles, ZRM, audit).
    with django_assert_max_num_queries(16) as overview_few:
        client.get(OVERVIEW)
    with django_assert_max_num_queries(12) as export_few:
        client.get(CSV)
    for n in range(40):
        person = client_factory(district_code=f"WK0518{n % 7:02d}", district_name=f"Wijk {n % 7}")
        client_factory(household=person.household, role=HouseholdRole.PARTNER)
    with django_assert_max_num_queries(len(overview_few.captured_queries)):
        assert client.get(OVERVIEW).status_code == 200
    with django_assert_max_num_queries(len(export_few.captured_queries)):
        assert len(rows_of(client.get(CSV))) == 81


def test_the_dataset_costs_three_queries(analyst, client_factory, django_assert_num_queries):
    from meedoen.analytics.datasets import dataset_rows
    from meedoen.caseload.access import analysis_population

    for _ in range(20):
        client_factory()
    population = analysis_population(actor=analyst)
    with django_assert_num_queries(3):
        rows = dataset_rows(
            population=population, purpose=Purpose.DATASET, reference_date=dt.date(2025, 6, 30)
        )
    assert len(rows) == 20


def test_navigation_and_start_page_show_analysis_to_the_analyst_only(client, analyst, coach):
    client.force_login(analyst)
    home = client.get(reverse("web:home")).content.decode()
    assert f'href="{OVERVIEW}"' in home
    assert "Analyseren" in home
    client.force_login(coach)
    assert f'href="{OVERVIEW}"' not in client.get(reverse("web:home")).content.decode()
