from django.apps import AppConfig


class DataExchangeConfig(AppConfig):
    name = "meedoen.dataexchange"
    label = "dataexchange"

    def ready(self) -> None:
        # privacy's retention job cannot import this app (layers): hand it the import-file sweep.
        from meedoen.dataexchange.retention import import_files_erase
        from meedoen.privacy.retention import IMPORT_FILE, retention_sweep_register

        retention_sweep_register(IMPORT_FILE, import_files_erase)
