from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from meedoen.api import imports, views

app_name = "api"

router = DefaultRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("imports", imports.ImportRunViewSet, basename="import")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    path("", include(router.urls)),
]
