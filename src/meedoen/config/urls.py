from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("meedoen.api.urls")),
    path("import/", include("meedoen.dataexchange.urls")),
    path("analyse/", include("meedoen.analytics.urls")),
    path("beheer/", admin.site.urls),
    path("mijn/", include("meedoen.portal.urls")),
    path("", include("meedoen.web.urls")),
]
