from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "meedoen.caseload"
    label = "caseload"

    def ready(self) -> None:
        from meedoen.caseload.subject_access import contact_persons_section
        from meedoen.privacy.subject_access import subject_access_section_register

        subject_access_section_register("contact_persons", contact_persons_section)

        # The contact log, appointments and relapses of the person (part H1).
        from meedoen.caseload.subject_access_contacts import (
            appointments_section,
            contact_log_section,
            relapses_section,
        )

        subject_access_section_register("contact_log", contact_log_section)
        subject_access_section_register("appointments", appointments_section)
        subject_access_section_register("relapses", relapses_section)

        # User management (accounts) refuses to deactivate a coach who still has a caseload.
        from meedoen.accounts.selectors_staff import staff_open_work_register
        from meedoen.caseload.staff import CASELOAD

        staff_open_work_register(CASELOAD)
