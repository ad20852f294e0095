from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "meedoen.privacy"
    label = "privacy"
