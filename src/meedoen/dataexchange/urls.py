from django.urls import path

from meedoen.dataexchange import views

app_name = "dataexchange"

urlpatterns = [
    path("", views.run_list, name="run_list"),
]
