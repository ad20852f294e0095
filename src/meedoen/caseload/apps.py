from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "meedoen.caseload"
    label = "caseload"
