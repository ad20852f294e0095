import datetime as dt

import pytest
from django.urls import reverse

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.clients.bsn import bsn_decrypt
from meedoen.clients.constants import BenefitEndReason, BenefitType
from meedoen.clients.models import BenefitPeriod
from meedoen.clients.tests.factories import test_bsn as make_bsn

pytestmark = pytest.mark.django_db

LIST = "/api/v1/clients/"
SEARCH = "/api/v1/clients/search/"


def detail(client):
    return f"/api/v1/clients/{client.pk}/"


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_urls_are_where_the_docs_say():
    assert reverse("api:client-list") == LIST
    assert reverse("api:client-search") == SEARCH


# --- authorization matrix ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", LIST), ("post", SEARCH), ("get", "/api/v1/households/")],
)
def test_anonymous_is_refused_in_dutch(api, client_factory, method, url):
    client_factory()
    response = getattr(api, method)(url, {"bsn": make_bsn(1)}, format="json")
    assert response.status_code in (401, 403)
    assert response.json() == {"detail": "Authenticatiegegevens zijn niet opgegeven."}
    assert not AuditEvent.objects.exists()


def test_anonymous_detail_is_refused(api, client_factory):
    response = api.get(detail(client_factory()))
    assert response.status_code in (401, 403)
    assert "Voornaam" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "sees_it"),
    # The client is in the coach's caseload: the coach and their team lead see it; a colleague
    # who does not cover for the coach and a coach of another team do not (caseload/access.py).
    [("coach", True), ("colleague", False), ("other_team_coach", False), ("team_lead", True)],
)
def test_casework_roles_see_own_municipality_only(
    persona, sees_it, request, login, client_factory, other_client_factory
):
    mine = client_factory()
    theirs = other_client_factory()
    api = login(request.getfixturevalue(persona))
    response = api.get(LIST)
    assert response.status_code == 200
    assert ids(response) == ({str(mine.pk)} if sees_it else set())
    assert api.get(detail(mine)).status_code == (200 if sees_it else 404)
    assert api.get(detail(theirs)).status_code == 404


def test_other_municipality_coach_gets_empty_list_and_404(
    login, client_factory, other_municipality_coach
):
    client = client_factory()
    api = login(other_municipality_coach)
    assert api.get(LIST).json()["results"] == []
    response = api.get(detail(client))
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}
    denial = AuditEvent.objects.get(action="clients.client.read")
    assert denial.result == Result.DENIED
    assert denial.actor_name == "coach-rotterdam"
    assert denial.detail["channel"] == "api"


@pytest.mark.parametrize("persona", ["analyst", "privacy_officer", "functional_admin"])
def test_non_casework_roles_see_no_client(persona, request, login, client_factory):
    client = client_factory(bsn=make_bsn(7))
    api = login(request.getfixturevalue(persona))
    assert api.get(LIST).json()["results"] == []
    assert api.get(detail(client)).status_code == 404
    assert api.post(SEARCH, {"bsn": make_bsn(7)}, format="json").json() == {"results": []}


def test_garbage_id_is_404_not_500(login, coach):
    response = login(coach).get("/api/v1/clients/niet-een-uuid/")
    assert response.status_code == 404


# --- shapes -------------------------------------------------------------------------------------


def test_detail_shape(login, coach, client_factory):
    client = client_factory(
        surname="Berg",
        name_prefix="van den",
        first_names="Fatima",
        country_of_birth="MA",
        phone="0612345678",
        email="f.vandenberg@example.org",
        languages=["nl", "ar"],
        district_code="WK051828",
        district_name="Schilderswijk",
    )
    open_period = client.benefit_periods.get()
    BenefitPeriod.objects.create(
        client=client,
        benefit_type=BenefitType.SINGLE,
        start_date=dt.date(2012, 3, 1),
        end_date=dt.date(2016, 8, 31),
        end_reason=BenefitEndReason.WORK,
    )
    body = login(coach).get(detail(client)).json()
    assert set(body) == {
        "id",
        "client_number",
        "first_names",
        "name_prefix",
        "surname",
        "date_of_birth",
        "gender",
        "country_of_birth",
        "email",
        "phone",
        "languages",
        "bsn_masked",
        "household",
        "address",
        "benefit_periods",
    }
    assert body["id"] == str(client.pk)
    assert (body["first_names"], body["name_prefix"], body["surname"]) == (
        "Fatima",
        "van den",
        "Berg",
    )
    assert body["date_of_birth"] == "1970-01-01"
    assert body["languages"] == ["nl", "ar"]
    bsn = bsn_decrypt(client.bsn_encrypted)
    assert body["bsn_masked"] == "•••••" + bsn[-3:]
    assert body["household"] == {
        "id": str(client.household_id),
        "reference": client.household.reference,
        "role": "aanvrager",
    }
    assert body["address"]["district_name"] == "Schilderswijk"
    assert body["address"]["postcode"] == "2526AB"
    # Newest first: the open period, then the one that ended with work (exit and re-entry).
    assert body["benefit_periods"][0]["id"] == str(open_period.pk)
    assert body["benefit_periods"][1] == {
        "id": str(client.benefit_periods.get(end_date__isnull=False).pk),
        "benefit_type": "alleenstaande",
        "start_date": "2012-03-01",
        "end_date": "2016-08-31",
        "end_reason": "werk",
    }


def test_list_shape(login, coach, client_factory):
    client = client_factory()
    body = login(coach).get(LIST).json()
    assert set(body) == {"next", "previous", "results"}
    (row,) = body["results"]
    assert set(row) == {
        "id",
        "client_number",
        "first_names",
        "name_prefix",
        "surname",
        "date_of_birth",
        "bsn_masked",
        "household",
        "address",
    }
    assert row["household"] == str(client.household_id)


def test_no_full_bsn_in_any_response(login, coach, client_factory):
    bsn = make_bsn(11)
    client = client_factory(bsn=bsn)
    api = login(coach)
    responses = [
        api.get(LIST),
        api.get(detail(client)),
        api.get("/api/v1/households/"),
        api.get(f"/api/v1/households/{client.household_id}/"),
        api.post(SEARCH, {"bsn": bsn}, format="json"),
        api.get(LIST, {"q": bsn}),
        api.post(SEARCH, {"bsn": bsn[:8] + str((int(bsn[8]) + 1) % 10)}, format="json"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 200, 400, 400]
    for response in responses:
        assert bsn.encode() not in response.content
    assert bsn not in str(list(AuditEvent.objects.values()))


# --- audit --------------------------------------------------------------------------------------


def test_list_writes_one_audit_row_with_count_and_filter_names(login, coach, client_factory):
    for _ in range(3):
        client_factory(district_code="WK051829", surname="Jansen")
    login(coach).get(LIST, {"wijk": "WK051829", "q": "Jansen"})
    event = AuditEvent.objects.get()
    assert event.action == "clients.client.list"
    assert event.detail == {"channel": "api", "count": 3, "filters": ["q", "wijk"]}
    # Filter values (a name) stay out of the audit trail.
    assert "Jansen" not in str(event.detail)


def test_detail_read_is_audited_per_client(login, coach, client_factory):
    client = client_factory()
    login(coach).get(detail(client))
    event = AuditEvent.objects.get()
    assert (event.action, event.result, event.object_id) == (
        "clients.client.read",
        Result.ALLOWED,
        str(client.pk),
    )
    assert event.purpose == "casework"
    assert event.detail["channel"] == "api"


# --- filters ------------------------------------------------------------------------------------


def test_filter_on_name(login, coach, client_factory):
    berg = client_factory(surname="Berg")
    client_factory(surname="Yilmaz")
    assert ids(login(coach).get(LIST, {"q": "berg"})) == {str(berg.pk)}


def test_filter_on_postcode(login, coach, client_factory):
    here = client_factory(postcode="2525KL")
    client_factory(postcode="2531AB")
    api = login(coach)
    assert ids(api.get(LIST, {"q": "2525 kl"})) == {str(here.pk)}
    assert ids(api.get(LIST, {"q": "2525"})) == {str(here.pk)}


def test_filter_on_wijk(login, coach, client_factory):
    transvaal = client_factory(district_code="WK051829", district_name="Transvaal")
    client_factory(district_code="WK051828")
    assert ids(login(coach).get(LIST, {"wijk": "WK051829"})) == {str(transvaal.pk)}


@pytest.mark.parametrize("query", ["999990019", "9999 00 019", "999.900.019", "12345678"])
def test_q_refuses_a_bsn_with_a_dutch_message(login, coach, client_factory, query):
    client_factory()
    response = login(coach).get(LIST, {"q": query})
    assert response.status_code == 400
    (message,) = response.json()["q"]
    assert "POST /api/v1/clients/search/" in message
    assert query not in message
    assert not AuditEvent.objects.exists()


# --- BSN search ---------------------------------------------------------------------------------


def test_search_by_bsn_finds_the_client_and_audits_the_person(login, coach, client_factory):
    bsn = make_bsn(21)
    client = client_factory(bsn=bsn)
    client_factory(bsn=make_bsn(22))
    response = login(coach).post(SEARCH, {"bsn": f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}"}, format="json")
    assert response.status_code == 200
    assert ids(response) == {str(client.pk)}
    event = AuditEvent.objects.get()
    assert (event.action, event.object_id) == ("clients.client.search", str(client.pk))
    assert event.subject_pseudonym
    assert event.detail == {"channel": "api", "count": 1, "by": "bsn"}


def test_search_does_not_cross_municipalities(login, other_municipality_coach, client_factory):
    bsn = make_bsn(23)
    client_factory(bsn=bsn)
    response = login(other_municipality_coach).post(SEARCH, {"bsn": bsn}, format="json")
    assert response.json() == {"results": []}


@pytest.mark.parametrize("value", ["123", "999990010", "abcdefghi", ""])
def test_search_rejects_invalid_bsn_naming_the_field(login, coach, value):
    response = login(coach).post(SEARCH, {"bsn": value}, format="json")
    assert response.status_code == 400
    (message,) = response.json()["bsn"]
    assert value not in message or not value
    assert not AuditEvent.objects.exists()


def test_search_requires_the_field(login, coach):
    response = login(coach).post(SEARCH, {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"bsn": ["Dit veld is vereist."]}


def test_search_is_post_only(login, coach):
    assert login(coach).get(SEARCH).status_code == 405


# --- paging and query counts --------------------------------------------------------------------


def test_cursor_pages_through_all_clients_without_names_in_urls(login, coach, client_factory):
    made = {str(client_factory(surname=f"Naam{i}").pk) for i in range(5)}
    api = login(coach)
    seen = set()
    url = LIST + "?page_size=2"
    while url:
        body = api.get(url).json()
        seen |= {row["id"] for row in body["results"]}
        url = body["next"]
        assert url is None or "Naam" not in url
    assert seen == made


@pytest.mark.parametrize("n", [2, 25])
def test_list_query_count_does_not_grow(
    login, coach, client_factory, django_assert_max_num_queries, n
):
    for _ in range(n):
        client_factory()
    api = login(coach)
    # session, user, clients page, actor's municipality + chain head + insert (audit), session
    # save (3 with its savepoint): 9 whatever the page size.
    with django_assert_max_num_queries(9):
        response = api.get(LIST, {"page_size": 50})
    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("periods", [0, 12])
def test_detail_query_count_does_not_grow_with_history(
    login, coach, client_factory, django_assert_max_num_queries, periods
):
    client = client_factory()
    for year in range(periods):
        BenefitPeriod.objects.create(
            client=client,
            benefit_type=BenefitType.SINGLE,
            start_date=dt.date(2000 + year, 1, 1),
            end_date=dt.date(2000 + year, 6, 30),
            end_reason=BenefitEndReason.WORK,
        )
    api = login(coach)
    # session, user, client (household and address joined), 3 prefetches, audit (3), session
    # save (3 with its savepoint): 12 however long the history.
    with django_assert_max_num_queries(12):
        response = api.get(detail(client))
    assert len(response.json()["benefit_periods"]) == periods + 1
