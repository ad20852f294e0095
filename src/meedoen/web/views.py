"""Thin views: data only through caseload.access (the one door) and clients.selectors."""

from __future__ import annotations

import math
import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from meedoen.accounts.constants import IMPORT_ROLES
from meedoen.accounts.selectors_staff import actor_may_manage_staff
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import (
    actor_may_analyse,
    actor_may_do_casework,
    client_bsn_reveal,
    client_get_for_actor,
    clients_visible_to,
)
from meedoen.clients import selectors
from meedoen.clients.bsn import bsn_decrypt, bsn_encrypt, bsn_from_query, bsn_mask
from meedoen.clients.filters import ClientFilterSet
from meedoen.clients.throttling import BsnSearchThrottle
from meedoen.core.iso import country_name, language_name
from meedoen.privacy import selectors as privacy_selectors
from meedoen.web.forms import ClientSearchForm
from meedoen.web.forms_consent import ConsentGiveForm, ConsentWithdrawForm
from meedoen.web.views_outcomes import client_outcomes_context
from meedoen.web.views_profile import client_profile_context
from meedoen.web.views_worklist import home_worklist_context

PAGE_SIZE = 25
# Searches kept per session, so a few tabs with different searches can page independently.
_SEARCHES_KEPT = 20
_SESSION_KEY = "web.client_searches"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    tasks = []
    if actor_may_do_casework(request.user):
        tasks.append(
            {
                "url": reverse("web:my_caseload"),
                "label": _("Mijn caseload"),
                "description": _(
                    "Alle huishoudens van uw caseload met het laatste contact, de volgende "
                    "afspraak en de signalen; te filteren op signaal."
                ),
            }
        )
        tasks.append(
            {
                "url": reverse("web:client_list"),
                "label": _("Cliënten zoeken"),
                "description": _(
                    "Zoek een cliënt op naam, postcode of BSN en bekijk huishouden, adres en "
                    "uitkeringen."
                ),
            }
        )
        tasks.append(
            {
                "url": reverse("web:profile_overview"),
                "label": _("In kaart gebracht"),
                "description": _(
                    "Zie per wijk hoeveel cliënten er gesproken en in kaart gebracht zijn."
                ),
            }
        )
    if getattr(request.user, "role", "") in IMPORT_ROLES:
        tasks.append(
            {
                "url": reverse("dataexchange:run_list"),
                "label": _("Gegevens importeren"),
                "description": _(
                    "Lees een bestand uit de uitkeringsadministratie in en bekijk eerdere imports."
                ),
            }
        )
    if actor_may_manage_staff(request.user):
        tasks.append(
            {
                "url": reverse("web:staff_list"),
                "label": _("Gebruikers beheren"),
                "description": _(
                    "Voeg medewerkers en teams toe, wijzig rollen, deactiveer accounts en stel "
                    "tweestapsverificatie opnieuw in na een verloren telefoon."
                ),
            }
        )
    if actor_may_analyse(request.user):
        tasks.append(
            {
                "url": reverse("analytics:overview"),
                "label": _("Analyseren"),
                "description": _(
                    "Bekijk cijfers per wijk en download een gepseudonimiseerde dataset, zonder "
                    "namen of BSN."
                ),
            }
        )
        tasks.append(
            {
                "url": reverse("analytics:monitor"),
                "label": _("Programmamonitor"),
                "description": _(
                    "Zie wat de bereikte cliënten binnen 6, 12 en 24 maanden bereikten, naast de "
                    "cijfers uit de praktijk, en volg het doel naar werk uit de bijstand."
                ),
            }
        )
    context: dict[str, Any] = {"tasks": tasks}
    if actor_may_do_casework(request.user):
        # "Mijn werk": the signals of the caseload, appointments, new and longest-waiting
        # households (web.views_worklist; fixed number of queries whatever the caseload).
        context.update(home_worklist_context(request))
    return render(request, "web/home.html", context)


# Search design: a BSN typed into a GET form would end up in the URL, and so in browser history,
# proxy and server logs. The search form therefore POSTs (with CSRF); the view keeps the search in
# the session under a random token and redirects (303) to `?zoek=<token>`. Page links carry only
# that token and the page number — never a name, postcode or BSN. A BSN is kept in the session
# only encrypted (bsn_encrypt), so the session table, like the rest of the database, holds no BSN
# in clear; the results page shows it masked.
@login_required
@require_http_methods(["GET", "POST"])
def client_list(request: HttpRequest) -> HttpResponse:
    visible = clients_visible_to(actor=request.user)
    districts = selectors.district_choices(clients=visible)
    throttled = False
    if request.method == "POST":
        form = ClientSearchForm(request.POST, districts=districts)
        if form.is_valid():
            throttled = _bsn_search_throttled(request, form)
            if not throttled:
                return _search_redirect(request, form.cleaned_data)
        search: dict[str, str] = {}
    else:
        search = _search_from_session(request)
        form = ClientSearchForm(
            initial={"q": search.get("q", ""), "wijk": search.get("wijk", "")}, districts=districts
        )
    query = bsn_decrypt(search["bsn"]) if search.get("bsn") else search.get("q", "")
    filterset = ClientFilterSet(data={"q": query, "wijk": search.get("wijk", "")}, queryset=visible)
    clients = selectors.client_list(clients=filterset.qs)
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("pagina"))
    # One audit row per list page shown, as in the API: the count and which filters were used,
    # never their values (a search may be a BSN or a name).
    audit_record(
        actor=request.user,
        action="clients.client.list",
        origin=Origin.from_request(request),
        purpose="casework",
        detail={
            "count": len(page.object_list),
            "filters": sorted(name for name in ("q", "wijk") if search.get(name))
            + (["bsn"] if search.get("bsn") else []),
        },
    )
    token = request.GET.get("zoek", "") if search else ""
    return render(
        request,
        "web/client_list.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "token": token,
            # Page links carry the search token only, never the search itself.
            "query": f"zoek={token}&" if token else "",
            "searched": bool(search),
            "bsn_display": bsn_mask(query) if search.get("bsn") else "",
            "expired": bool(request.GET.get("zoek")) and not search,
        },
        status=429 if throttled else 200,
    )


def _bsn_search_throttled(request: HttpRequest, form: ClientSearchForm) -> bool:
    """Over the per-user limit on BSN searches (shared with the API): the form says so, and the
    attempt is audited as a denied search. Names and postcodes are not limited."""
    if not bsn_from_query(form.cleaned_data["q"]):
        return False
    throttle = BsnSearchThrottle()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return False
    seconds = math.ceil(throttle.wait() or 60)
    form.add_error(
        "q",
        ngettext(
            "Te veel zoekopdrachten op BSN. Probeer het over %(wait)s seconde opnieuw.",
            "Te veel zoekopdrachten op BSN. Probeer het over %(wait)s seconden opnieuw.",
            seconds,
        )
        % {"wait": seconds},
    )
    audit_record(
        actor=request.user,
        action="clients.client.search",
        origin=Origin.from_request(request),
        purpose="casework",
        result=Result.DENIED,
        detail={"by": "bsn", "reason": "throttled"},
    )
    return True


def _search_redirect(request: HttpRequest, cleaned: dict[str, Any]) -> HttpResponse:
    url = reverse("web:client_list")
    query, district = cleaned["q"], cleaned["wijk"]
    if not query and not district:
        return HttpResponseRedirect(url, status=303)
    bsn = bsn_from_query(query)
    entry = {"q": "" if bsn else query, "bsn": bsn_encrypt(bsn) if bsn else "", "wijk": district}
    searches: dict[str, dict[str, str]] = request.session.get(_SESSION_KEY, {})
    token = secrets.token_urlsafe(9)
    searches[token] = entry
    # Dicts keep insertion order: drop the oldest searches beyond the limit.
    request.session[_SESSION_KEY] = dict(list(searches.items())[-_SEARCHES_KEPT:])
    response = HttpResponseRedirect(f"{url}?zoek={token}")
    response.status_code = 303
    return response


def _search_from_session(request: HttpRequest) -> dict[str, str]:
    token = request.GET.get("zoek", "")
    if not token:
        return {}
    searches = request.session.get(_SESSION_KEY, {})
    entry = searches.get(token)
    return dict(entry) if isinstance(entry, dict) else {}


@login_required
def client_detail(request: HttpRequest, client_id: str) -> HttpResponse:
    return client_detail_render(request, client_id, reveal_bsn=False)


# The full BSN is shown only in the answer to this POST: never in a URL, never on a page a GET can
# bring back, and the authenticated-response middleware marks every such page no-store. Revealing
# it is audited on its own ("clients.client.bsn_reveal"), apart from the read of the file.
@login_required
@require_http_methods(["POST"])
def client_bsn_reveal_view(request: HttpRequest, client_id: str) -> HttpResponse:
    return client_detail_render(request, client_id, reveal_bsn=True)


def client_detail_render(
    request: HttpRequest,
    client_id: str,
    *,
    reveal_bsn: bool = False,
    consent_form: ConsentGiveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    origin = Origin.from_request(request)
    client = client_get_for_actor(
        actor=request.user,
        client_id=client_id,
        purpose="casework",
        origin=origin,
        queryset=selectors.client_detail_queryset(),
    )
    bsn_full = (
        client_bsn_reveal(actor=request.user, client=client, purpose="casework", origin=origin)
        if reveal_bsn
        else ""
    )
    household = client.household
    return render(
        request,
        "web/client_detail.html",
        {
            "client": client,
            "bsn_masked": bsn_mask(bsn_decrypt(client.bsn_encrypted)),
            "bsn_full": bsn_full,
            "languages": [language_name(code) for code in client.languages or []],
            "country_of_birth": country_name(client.country_of_birth)
            if client.country_of_birth
            else "",
            "household": household,
            "members": household.current_memberships if household else [],  # type: ignore[attr-defined]
            "residences": list(household.residences.all()) if household else [],
            "benefit_periods": list(client.benefit_periods.all()),
            "consents": list(privacy_selectors.consent_list_for_client(client=client)),
            "consent_form": consent_form or ConsentGiveForm(municipality_id=client.municipality_id),
            "consent_withdraw_form": ConsentWithdrawForm(),
            # The "Profiel" section: latest profile, history charts, conversations (fixed queries).
            **client_profile_context(client),
            # The "Uitkomsten" section: the unified stream of outcomes (fixed queries).
            **client_outcomes_context(client),
        },
        status=status,
    )
