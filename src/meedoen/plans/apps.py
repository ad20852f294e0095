from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "meedoen.plans"
    label = "plans"

    def ready(self) -> None:
        # privacy sits below plans: the export gets the plan's sections through its registry.
        from meedoen.plans.subject_access import (
            plan_agreements_section,
            plan_goals_section,
            plan_reviews_section,
            plan_steps_section,
            plan_versions_section,
        )
        from meedoen.privacy.subject_access import subject_access_section_register

        subject_access_section_register("plan_goals", plan_goals_section)
        subject_access_section_register("plan_steps", plan_steps_section)
        subject_access_section_register("plan_reviews", plan_reviews_section)
        subject_access_section_register("plan_versions", plan_versions_section)
        subject_access_section_register("plan_agreements", plan_agreements_section)
