from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "meedoen.api"
    label = "api"
