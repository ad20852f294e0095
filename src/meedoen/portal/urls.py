from django.urls import path

from meedoen.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", views.PortalLoginView.as_view(), name="login"),
    path("doelen/nieuw/", views.goal_create, name="goal_create"),
    path("doelen/<uuid:goal_id>/stappen/nieuw/", views.step_create, name="step_create"),
    path("stappen/<uuid:step_id>/klaar/", views.step_done, name="step_done"),
    path(
        "afspraken/<uuid:agreement_id>/akkoord/",
        views.agreement_accept_view,
        name="agreement_accept",
    ),
]
