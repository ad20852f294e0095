from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "meedoen.core"
    label = "core"
