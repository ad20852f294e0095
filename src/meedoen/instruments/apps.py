from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "meedoen.instruments"
    label = "instruments"

    def ready(self) -> None:
        # privacy sits below instruments: the export of a person's data holds their enrolments.
        from meedoen.instruments.subject_access import enrolments_section
        from meedoen.privacy.subject_access import subject_access_section_register

        subject_access_section_register("instrument_enrolments", enrolments_section)
