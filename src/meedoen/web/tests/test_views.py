import datetime as dt
import re

import pytest
from django.urls import reverse

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.clients.constants import BenefitEndReason, BenefitType, HouseholdRole
from meedoen.clients.models import Address, BenefitPeriod, Residence
from meedoen.clients.tests.factories import test_bsn as make_bsn

LIST_URL = reverse("web:client_list")


def _search(client, **data):
    """POST the search form and follow the redirect, as a browser does."""
    response = client.post(LIST_URL, {"q": "", "wijk": "", **data})
    assert response.status_code == 303
    assert "zoek=" in response["Location"]
    return response, client.get(response["Location"])


def _names(response):
    return [c.formal_name for c in response.context["page"].object_list]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["web:home", "web:client_list"])
def test_pages_require_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.django_db
def test_login_page_is_dutch_and_shows_error_on_bad_password(client, coach):
    page = client.get(reverse("web:login"))
    assert page.status_code == 200
    assert 'lang="nl"' in page.content.decode()
    response = client.post(reverse("web:login"), {"username": "coach", "password": "fout"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in body


@pytest.mark.django_db
def test_login_then_logout_by_post(client, coach):
    response = client.post(
        reverse("web:login"),
        {"username": "coach", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    assert client.post(reverse("web:logout")).status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


@pytest.mark.django_db
def test_start_page_links_to_what_the_role_can_do(client, coach, functional_admin):
    client.force_login(coach)
    body = client.get(reverse("web:home")).content.decode()
    assert LIST_URL in body
    assert reverse("dataexchange:run_list") not in body
    client.force_login(functional_admin)
    body = client.get(reverse("web:home")).content.decode()
    assert f'href="{LIST_URL}"' not in body
    assert reverse("dataexchange:run_list") in body


@pytest.mark.django_db
def test_list_sorts_on_surname_without_prefix(client, coach, client_factory):
    client_factory(surname="Yilmaz", first_names="Ayşe")
    client_factory(surname="Berg", name_prefix="van den", first_names="Fatima")
    client_factory(surname="Achterberg", first_names="Jan")
    client.force_login(coach)
    response = client.get(LIST_URL)
    assert _names(response) == ["Achterberg, Jan", "Berg, Fatima van den", "Yilmaz, Ayşe"]
    assert "3 cliënten gevonden" in response.content.decode()


@pytest.mark.django_db
def test_search_by_name(client, coach, client_factory):
    client_factory(surname="Berg", name_prefix="van den", first_names="Fatima")
    client_factory(surname="Jansen", first_names="Piet")
    client.force_login(coach)
    _, response = _search(client, q="berg")
    assert _names(response) == ["Berg, Fatima van den"]
    _, response = _search(client, q="Piet")
    assert _names(response) == ["Jansen, Piet"]


@pytest.mark.django_db
def test_search_by_postcode(client, coach, client_factory):
    client_factory(surname="Hier", postcode="2526AB")
    client_factory(surname="Daar", postcode="2571XY")
    client.force_login(coach)
    _, response = _search(client, q="2526 ab")
    assert [n.split(",")[0] for n in _names(response)] == ["Hier"]
    _, response = _search(client, q="2571")
    assert [n.split(",")[0] for n in _names(response)] == ["Daar"]


@pytest.mark.django_db
def test_postcode_digits_that_pass_the_11_proef_search_the_postcode(client, coach, client_factory):
    # 2525 zero-padded (000002525) passes the 11-proef; it must still search the postcode.
    client_factory(surname="Schilderswijk", postcode="2525KL")
    client.force_login(coach)
    _, response = _search(client, q="2525")
    assert [n.split(",")[0] for n in _names(response)] == ["Schilderswijk"]


@pytest.mark.django_db
def test_search_by_exact_bsn_and_bsn_never_in_url_or_page(client, coach, client_factory):
    bsn = make_bsn(500)
    client_factory(surname="Gezocht", bsn=bsn)
    client_factory(surname="Ander")
    client.force_login(coach)
    redirect, response = _search(client, q=bsn)
    assert bsn not in redirect["Location"]
    assert [n.split(",")[0] for n in _names(response)] == ["Gezocht"]
    body = response.content.decode()
    assert bsn not in body
    assert "•••••" + bsn[-3:] in body
    # The session holds the BSN only encrypted.
    assert bsn not in str(dict(client.session))
    # Paging links and every href carry no BSN either.
    assert all(bsn not in href for href in re.findall(r'href="([^"]*)"', body))


@pytest.mark.django_db
def test_partial_bsn_finds_nobody(client, coach, client_factory):
    bsn = make_bsn(501)
    client_factory(surname="Gezocht", bsn=bsn)
    client.force_login(coach)
    _, response = _search(client, q=bsn[:6])
    assert _names(response) == []


@pytest.mark.django_db
def test_invalid_bsn_gets_dutch_message_and_is_not_echoed(client, coach, client_factory):
    client_factory()
    client.force_login(coach)
    response = client.post(LIST_URL, {"q": "123456789", "wijk": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "11-proef" in body
    assert "123456789" not in body


@pytest.mark.django_db
def test_search_by_district(client, coach, client_factory):
    client_factory(surname="Schilder", district_code="WK051828", district_name="Schilderswijk")
    client_factory(surname="Laker", district_code="WK051838", district_name="Laak")
    client.force_login(coach)
    page = client.get(LIST_URL).content.decode()
    assert '<option value="WK051838">Laak</option>' in page
    _, response = _search(client, wijk="WK051838")
    assert [n.split(",")[0] for n in _names(response)] == ["Laker"]


@pytest.mark.django_db
def test_unknown_district_is_refused_with_message(client, coach, client_factory):
    client_factory()
    client.force_login(coach)
    response = client.post(LIST_URL, {"q": "", "wijk": "WK999999"})
    assert response.status_code == 200
    assert "Kies een wijk uit de lijst." in response.content.decode()


@pytest.mark.django_db
def test_paging_keeps_the_search_and_25_per_page(client, coach, client_factory):
    for i in range(30):
        client_factory(surname=f"Berg{i:02d}")
    client_factory(surname="Jansen")
    client.force_login(coach)
    redirect, first = _search(client, q="berg")
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 30
    body = first.content.decode()
    token = redirect["Location"].split("zoek=")[1]
    assert f"?zoek={token}&amp;pagina=2" in body
    second = client.get(f"{LIST_URL}?zoek={token}&pagina=2")
    assert _names(second)[0].startswith("Berg25")
    assert len(second.context["page"].object_list) == 5


@pytest.mark.django_db
def test_unknown_search_token_shows_everyone_with_notice(client, coach, client_factory):
    client_factory()
    client.force_login(coach)
    response = client.get(f"{LIST_URL}?zoek=verlopen")
    assert response.context["page"].paginator.count == 1
    assert "verlopen" in response.content.decode()


@pytest.mark.django_db
def test_empty_search_redirects_to_plain_list(client, coach):
    client.force_login(coach)
    response = client.post(LIST_URL, {"q": "", "wijk": ""})
    assert response.status_code == 303
    assert response["Location"] == LIST_URL


@pytest.mark.django_db
def test_list_shows_only_own_municipality(client, other_municipality_coach, client_factory):
    client_factory(surname="Haags")
    client.force_login(other_municipality_coach)
    response = client.get(LIST_URL)
    assert response.context["page"].paginator.count == 0
    assert "Haags" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["analyst", "privacy_officer", "functional_admin"])
def test_non_casework_roles_see_empty_list(client, request, persona, client_factory):
    client_factory(surname="Geheim")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(LIST_URL)
    assert "Geheim" not in response.content.decode()


@pytest.mark.django_db
def test_list_never_shows_a_bsn(client, coach, client_factory):
    bsns = [make_bsn(600 + i) for i in range(3)]
    for bsn in bsns:
        client_factory(bsn=bsn)
    client.force_login(coach)
    body = client.get(LIST_URL).content.decode()
    assert not any(bsn in body for bsn in bsns)


@pytest.mark.django_db
def test_list_query_count_does_not_grow(
    client, coach, client_factory, django_assert_max_num_queries
):
    client_factory()
    client.force_login(coach)
    # 11: the page's own 9 plus the audit row and its chain head (one per page, not per client).
    with django_assert_max_num_queries(11) as few:
        client.get(LIST_URL)
    for _ in range(30):
        client_factory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST_URL)


def _rich_client(client_factory, *, periods: int, moves: int):
    """A client with a partner and a child, a history of moves and of benefit periods."""
    main = client_factory(surname="Berg", name_prefix="van den", first_names="Fatima")
    household = main.household
    client_factory(
        surname="Berg", first_names="Omar", household=household, role=HouseholdRole.PARTNER
    )
    client_factory(
        surname="Berg", first_names="Noor", household=household, role=HouseholdRole.CHILD
    )
    BenefitPeriod.objects.filter(client=main).update(
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2011, 1, 1),
        end_reason=BenefitEndReason.WORK,
    )
    for i in range(periods):
        BenefitPeriod.objects.create(
            client=main,
            benefit_type=BenefitType.SINGLE_PARENT,
            start_date=dt.date(2012 + 2 * i, 1, 1),
            end_date=None if i == periods - 1 else dt.date(2013 + 2 * i, 1, 1),
            end_reason="" if i == periods - 1 else BenefitEndReason.OTHER,
        )
    Residence.objects.filter(household=household).update(start_date=dt.date(2022, 1, 1))
    for i in range(moves):
        address = Address.objects.create(
            municipality=main.municipality,
            postcode=f"25{10 + i}CD",
            house_number=i + 1,
            street="Oude straat",
            city="'s-Gravenhage",
        )
        Residence.objects.create(
            household=household,
            address=address,
            start_date=dt.date(2000 + i, 1, 1),
            end_date=dt.date(2001 + i, 1, 1),
        )
    return main


@pytest.mark.django_db
def test_detail_shows_household_address_history_and_benefits(client, coach, client_factory):
    main = _rich_client(client_factory, periods=2, moves=2)
    client.force_login(coach)
    response = client.get(reverse("web:client_detail", args=[main.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Fatima van den Berg" in body
    assert "Omar Berg" in body
    assert "Partner" in body
    assert "Kind" in body
    assert "Oude straat" in body
    assert "Werk in loondienst" in body
    assert "lopend" in body
    assert "beëindigd" in body
    assert "Schilderswijk" in body


@pytest.mark.django_db
def test_detail_masks_bsn(client, coach, client_factory):
    bsn = make_bsn(700)
    main = client_factory(bsn=bsn)
    client.force_login(coach)
    body = client.get(reverse("web:client_detail", args=[main.pk])).content.decode()
    assert bsn not in body
    assert "•••••" + bsn[-3:] in body


@pytest.mark.django_db
def test_detail_read_is_audited_and_not_cached(client, coach, client_factory):
    main = client_factory()
    client.force_login(coach)
    response = client.get(reverse("web:client_detail", args=[main.pk]))
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="clients.client.read")
    assert event.result == Result.ALLOWED
    assert event.object_id == str(main.pk)
    assert event.actor_name == "coach"


@pytest.mark.django_db
def test_detail_is_404_for_other_municipality_and_denial_audited(
    client, other_municipality_coach, client_factory
):
    main = client_factory(surname="Haags")
    client.force_login(other_municipality_coach)
    response = client.get(reverse("web:client_detail", args=[main.pk]))
    assert response.status_code == 404
    assert "Haags" not in response.content.decode()
    assert "Pagina niet gevonden" in response.content.decode()
    assert AuditEvent.objects.get().result == Result.DENIED


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["analyst", "privacy_officer", "functional_admin"])
def test_detail_is_404_for_non_casework_roles(client, request, persona, client_factory):
    main = client_factory(surname="Geheim")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("web:client_detail", args=[main.pk]))
    assert response.status_code == 404
    assert "Geheim" not in response.content.decode()


@pytest.mark.django_db
def test_detail_query_count_is_fixed(client, coach, client_factory, django_assert_max_num_queries):
    small = _rich_client(client_factory, periods=1, moves=0)
    client.force_login(coach)
    # 13: the file, its household, members, residences, benefits, consents, audit and session;
    # 1 for the profile section of a client without conversations (web.views_profile); and 1 for
    # the partner registry in the consent form (web.forms_consent).
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("web:client_detail", args=[small.pk]))
    large = _rich_client(client_factory, periods=8, moves=10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("web:client_detail", args=[large.pk]))
    assert len(response.context["benefit_periods"]) == 9
    assert len(response.context["residences"]) == 11


@pytest.mark.django_db
def test_language_switch_to_english_without_javascript(client, coach):
    client.force_login(coach)
    response = client.post(reverse("set_language"), {"language": "en", "next": LIST_URL})
    assert response.status_code == 302
    assert 'lang="en"' in client.get(LIST_URL).content.decode()


@pytest.mark.django_db
def test_404_page_is_dutch(client, coach):
    client.force_login(coach)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_500_page_renders_without_request_context():
    from django.template.loader import render_to_string

    body = render_to_string("500.html")
    assert "Er ging iets mis" in body
    assert "Uitloggen" not in body


@pytest.mark.django_db
def test_403_page_is_dutch(rf, coach):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = coach
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


@pytest.mark.django_db
def test_detail_names_country_and_languages_in_the_active_language(client, coach, client_factory):
    person = client_factory(country_of_birth="MA", languages=["nl", "ar", "rif"])
    client.force_login(coach)
    body = client.get(reverse("web:client_detail", args=[person.pk])).content.decode()
    assert "Marokko" in body
    assert "Nederlands, Arabisch, Tarifit" in body


@pytest.mark.django_db
def test_each_list_page_shown_is_audited_without_search_values(client, coach, client_factory):
    client_factory(surname="Bakker")
    client.force_login(coach)
    response = client.post(reverse("web:client_list"), {"q": "Bakker", "wijk": ""})
    client.get(response["Location"])
    event = AuditEvent.objects.filter(action="clients.client.list").get()
    assert event.detail["count"] == 1
    assert event.detail["filters"] == ["q"]
    assert "Bakker" not in str(event.detail)
