from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "meedoen.profiles"
    label = "profiles"

    def ready(self) -> None:
        from meedoen.privacy.subject_access import subject_access_section_register
        from meedoen.profiles.subject_access import profile_subject_access_section

        subject_access_section_register("conversations", profile_subject_access_section)
