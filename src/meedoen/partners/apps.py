from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "meedoen.partners"
    label = "partners"

    def ready(self) -> None:
        from meedoen.partners.subject_access import involvements_section, shares_section
        from meedoen.privacy.subject_access import subject_access_section_register

        subject_access_section_register("partner_involvements", involvements_section)
        subject_access_section_register("partner_shares", shares_section)
