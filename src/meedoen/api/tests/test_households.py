import datetime as dt

import pytest

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.clients.constants import HouseholdRole
from meedoen.clients.models import Address, HouseholdMembership, Residence

pytestmark = pytest.mark.django_db

LIST = "/api/v1/households/"


def detail(household_id):
    return f"/api/v1/households/{household_id}/"


def family(client_factory):
    """An applicant with a partner and a child; the household moved once; an ex-partner left."""
    applicant = client_factory(surname="Berg", name_prefix="van den", first_names="Fatima")
    household = applicant.household
    partner = client_factory(
        household=household, role=HouseholdRole.PARTNER, surname="Amrani", first_names="Youssef"
    )
    child = client_factory(
        household=household,
        role=HouseholdRole.CHILD,
        surname="Amrani",
        first_names="Sara",
        date_of_birth=dt.date(2015, 5, 1),
    )
    ex = client_factory(surname="Jansen", first_names="Piet")
    old = ex.memberships.get()
    old.end_date = dt.date(2018, 12, 31)
    old.save(update_fields=["end_date"])
    HouseholdMembership.objects.create(
        household=household,
        client=ex,
        role=HouseholdRole.PARTNER,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2018, 12, 31),
    )
    earlier = Address.objects.create(
        municipality=household.municipality,
        postcode="2572AB",
        house_number=3,
        street="Hoefkade",
        city="'s-Gravenhage",
        district_code="WK051829",
        district_name="Transvaal",
    )
    Residence.objects.create(
        household=household,
        address=earlier,
        start_date=dt.date(2012, 1, 1),
        end_date=dt.date(2018, 12, 31),
    )
    return household, applicant, partner, child, ex


def test_coach_sees_household_with_members_roles_address_and_moves(login, coach, client_factory):
    household, applicant, partner, child, ex = family(client_factory)
    body = login(coach).get(detail(household.pk)).json()
    assert set(body) == {"id", "reference", "address", "members", "member_history", "residences"}
    assert body["reference"] == household.reference
    assert [(m["client"], m["role"]) for m in body["members"]] == [
        (str(applicant.pk), "aanvrager"),
        (str(partner.pk), "partner"),
        (str(child.pk), "kind"),
    ]
    assert body["members"][0] == {
        "client": str(applicant.pk),
        "first_names": "Fatima",
        "name_prefix": "van den",
        "surname": "Berg",
        "role": "aanvrager",
        "start_date": "2019-01-01",
        "end_date": None,
    }
    former = [m for m in body["member_history"] if m["end_date"]]
    assert [(m["client"], m["end_date"]) for m in former] == [(str(ex.pk), "2018-12-31")]
    assert len(body["member_history"]) == 4
    assert body["address"]["postcode"] == household.address.postcode
    assert [(r["address"]["district_name"], r["end_date"]) for r in body["residences"]] == [
        ("Schilderswijk", None),
        ("Transvaal", "2018-12-31"),
    ]
    event = AuditEvent.objects.get()
    assert (event.action, event.object_id, event.result) == (
        "clients.household.read",
        str(household.pk),
        Result.ALLOWED,
    )


def test_list_shows_current_members_and_is_audited_once(login, coach, client_factory):
    household, applicant, partner, child, _ = family(client_factory)
    body = login(coach).get(LIST).json()
    row = next(r for r in body["results"] if r["id"] == str(household.pk))
    assert set(row) == {"id", "reference", "address", "members"}
    assert [m["client"] for m in row["members"]] == [
        str(applicant.pk),
        str(partner.pk),
        str(child.pk),
    ]
    event = AuditEvent.objects.get()
    assert event.action == "clients.household.list"
    assert event.detail["count"] == len(body["results"]) == 2


@pytest.mark.parametrize(
    "persona", ["other_municipality_coach", "analyst", "privacy_officer", "functional_admin"]
)
def test_others_see_no_household(persona, request, login, client_factory):
    household = client_factory().household
    api = login(request.getfixturevalue(persona))
    assert api.get(LIST).json()["results"] == []
    response = api.get(detail(household.pk))
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}
    assert AuditEvent.objects.get(action="clients.household.read").result == Result.DENIED


@pytest.mark.parametrize("size", [1, 20])
def test_list_query_count_does_not_grow(
    login, coach, client_factory, django_assert_max_num_queries, size
):
    for _ in range(size):
        household = client_factory().household
        client_factory(household=household, role=HouseholdRole.CHILD)
    api = login(coach)
    # session, user, households (address joined), members (clients joined), audit (3), session
    # save (3 with its savepoint).
    with django_assert_max_num_queries(10):
        response = api.get(LIST)
    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("moves", [0, 10])
def test_detail_query_count_does_not_grow_with_history(
    login, coach, client_factory, django_assert_max_num_queries, moves
):
    household = client_factory().household
    for year in range(moves):
        address = Address.objects.create(
            municipality=household.municipality,
            postcode="2572AB",
            house_number=100 + year,
            street="Hoefkade",
            city="'s-Gravenhage",
        )
        Residence.objects.create(
            household=household,
            address=address,
            start_date=dt.date(2000 + year, 1, 1),
            end_date=dt.date(2000 + year, 12, 31),
        )
    api = login(coach)
    # session, user, household (address joined), 3 prefetches, audit (3), session save (3).
    with django_assert_max_num_queries(12):
        response = api.get(detail(household.pk))
    assert len(response.json()["residences"]) == moves + 1
