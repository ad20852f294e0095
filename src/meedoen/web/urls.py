from django.contrib.auth import views as auth_views
from django.urls import path

from meedoen.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("clienten/", views.client_list, name="client_list"),
    path("clienten/<uuid:client_id>/", views.client_detail, name="client_detail"),
]
