from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meedoen.audit.services import Origin
from meedoen.caseload.access import client_get_for_actor, clients_visible_to
from meedoen.clients import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    visible = clients_visible_to(actor=request.user)
    query = request.GET.get("q", "")
    district = request.GET.get("wijk", "")
    clients = selectors.client_list(clients=visible, query=query, district_code=district)
    page = Paginator(clients, 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "web/client_list.html",
        {
            "page": page,
            "query": query,
            "district": district,
            "districts": selectors.district_choices(clients=visible),
        },
    )


@login_required
def client_detail(request: HttpRequest, client_id: str) -> HttpResponse:
    client = client_get_for_actor(
        actor=request.user,
        client_id=client_id,
        purpose="casework",
        origin=Origin.from_request(request),
        queryset=selectors.client_detail_queryset(),
    )
    return render(request, "web/client_detail.html", {"client": client})
