from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "meedoen.analytics"
    label = "analytics"
