from django.urls import path

from meedoen.dataexchange import views

app_name = "dataexchange"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("sjabloon.<str:file_format>", views.template_download, name="template"),
    path("<uuid:run_id>/", views.run_detail, name="run_detail"),
    path("<uuid:run_id>/toepassen/", views.run_apply, name="run_apply"),
    path("<uuid:run_id>/verwerpen/", views.run_discard, name="run_discard"),
]
