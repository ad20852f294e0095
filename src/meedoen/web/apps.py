from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "meedoen.web"
    label = "web"
