from django.urls import path

from meedoen.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("dataset.<str:file_format>", views.dataset_download, name="dataset_export"),
]
