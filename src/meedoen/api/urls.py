from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from meedoen.api import imports, profiles, views

app_name = "api"

# The documentation pages of drf-spectacular-sidecar use inline script and style (and Redoc a
# blob: worker); only these two views get that wider Content-Security-Policy, the rest of the site
# keeps the strict one from settings.
docs_csp = csp_replace(
    {
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "worker-src": [SELF, "blob:"],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
    }
)

router = DefaultRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("imports", imports.ImportRunViewSet, basename="import")
router.register("conversations", profiles.ConversationViewSet, basename="conversation")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_csp(SpectacularSwaggerView.as_view(url_name="api:schema")), name="docs"),
    path(
        "redoc/",
        docs_csp(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    # A client's conversations and profile (api/profiles.py): sub-resources of the client.
    path(
        "clients/<str:id>/conversations/",
        profiles.ClientConversationsView.as_view(),
        name="client-conversations",
    ),
    path("clients/<str:id>/profile/", profiles.ClientProfileView.as_view(), name="client-profile"),
    path(
        "clients/<str:id>/profile/history/",
        profiles.ClientProfileHistoryView.as_view(),
        name="client-profile-history",
    ),
    path("", include(router.urls)),
]
