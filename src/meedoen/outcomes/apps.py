from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "meedoen.outcomes"
    label = "outcomes"
