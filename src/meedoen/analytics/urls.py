from django.urls import path

from meedoen.analytics import views, views_effects, views_monitor

app_name = "analytics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("dataset.<str:file_format>", views.dataset_download, name="dataset_export"),
    # Effect evaluations (issue 7, docs/effect-reports.md).
    path("effecten/", views_effects.evaluation_list_view, name="effect_list"),
    path(
        "effecten/<uuid:evaluation_id>/",
        views_effects.evaluation_detail_view,
        name="effect_detail",
    ),
    path(
        "effecten/<uuid:evaluation_id>/rapport.pdf",
        views_effects.evaluation_pdf_view,
        name="effect_pdf",
    ),
    # The programme monitor (issue 7, docs/monitor.md).
    path("monitor/", views_monitor.monitor_page, name="monitor"),
    path("monitor/doel/", views_monitor.monitor_target, name="monitor_target"),
    path("monitor/export.<str:file_format>", views_monitor.monitor_download, name="monitor_export"),
]
