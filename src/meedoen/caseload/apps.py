from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "meedoen.caseload"
    label = "caseload"

    def ready(self) -> None:
        from meedoen.caseload.subject_access import contact_persons_section
        from meedoen.privacy.subject_access import subject_access_section_register

        subject_access_section_register("contact_persons", contact_persons_section)

        # User management (accounts) refuses to deactivate a coach who still has a caseload.
        from meedoen.accounts.selectors_staff import staff_open_work_register
        from meedoen.caseload.staff import CASELOAD

        staff_open_work_register(CASELOAD)
