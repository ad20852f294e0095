from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "meedoen.portal"
    label = "portal"

    def ready(self) -> None:
        # plans and privacy sit below the portal: they get the portal's door, its part of the
        # data-subject export and its retention sweep through their registries.
        from meedoen.plans.services_client import client_door_register
        from meedoen.portal.access import portal_client_or_none
        from meedoen.portal.retention import portal_logins_erase
        from meedoen.portal.subject_access import portal_account_section
        from meedoen.privacy.retention import CLIENT_FILE, retention_sweep_register
        from meedoen.privacy.subject_access import subject_access_section_register

        client_door_register(portal_client_or_none)
        subject_access_section_register("portal_account", portal_account_section)
        retention_sweep_register(CLIENT_FILE, portal_logins_erase)
