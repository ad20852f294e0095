from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "meedoen.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        # privacy sits below outcomes: the export of a person's data holds their outcomes.
        from meedoen.outcomes.subject_access import outcomes_section
        from meedoen.privacy.subject_access import subject_access_section_register

        subject_access_section_register("outcomes", outcomes_section)
