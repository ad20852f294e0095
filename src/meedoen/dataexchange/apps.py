from django.apps import AppConfig


class DataExchangeConfig(AppConfig):
    name = "meedoen.dataexchange"
    label = "dataexchange"
