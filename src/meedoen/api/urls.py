from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from meedoen.api import (
    caseload,
    contacts,
    effects,
    imports,
    instruments,
    outcomes,
    partners,
    plan_agreements,
    plans,
    profiles,
    views,
    worklist,
)

app_name = "api"

# The documentation pages of drf-spectacular-sidecar use inline script and style (and Redoc a
# blob: worker); only these two views get that wider Content-Security-Policy, the rest of the site
# keeps the strict one from settings.
docs_csp = csp_replace(
    {
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "worker-src": [SELF, "blob:"],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
    }
)

router = DefaultRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("imports", imports.ImportRunViewSet, basename="import")
router.register("conversations", profiles.ConversationViewSet, basename="conversation")
router.register(
    "partners/organisations", partners.OrganisationViewSet, basename="partner-organisation"
)
router.register("instruments", instruments.InstrumentViewSet, basename="instrument")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_csp(SpectacularSwaggerView.as_view(url_name="api:schema")), name="docs"),
    path(
        "redoc/",
        docs_csp(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    # A client's conversations and profile (api/profiles.py): sub-resources of the client.
    path(
        "clients/<str:id>/conversations/",
        profiles.ClientConversationsView.as_view(),
        name="client-conversations",
    ),
    path("clients/<str:id>/profile/", profiles.ClientProfileView.as_view(), name="client-profile"),
    path(
        "clients/<str:id>/profile/history/",
        profiles.ClientProfileHistoryView.as_view(),
        name="client-profile-history",
    ),
    # A client's outcomes: recorded and derived (api/outcomes.py, issue 7).
    path(
        "clients/<str:id>/outcomes/",
        outcomes.ClientOutcomesView.as_view(),
        name="client-outcomes",
    ),
    path("outcomes/<str:id>/", outcomes.OutcomeDetailView.as_view(), name="outcome-detail"),
    # The caller's caseload with its signals (api/worklist.py; issue 5, part H4).
    path("caseload/", worklist.CaseloadView.as_view(), name="caseload"),
    path("caseload/signals/", worklist.CaseloadSignalsView.as_view(), name="caseload-signals"),
    # The organisations involved with a household (api/partners.py).
    path(
        "households/<str:id>/involvements/",
        partners.HouseholdInvolvementsView.as_view(),
        name="household-involvements",
    ),
    # Enrolments in the instrument catalogue (api/instruments.py, issue 6).
    path(
        "households/<str:id>/enrolments/",
        instruments.HouseholdEnrolmentsView.as_view(),
        name="household-enrolments",
    ),
    path(
        "enrolments/<str:id>/",
        instruments.EnrolmentDetailView.as_view(),
        name="enrolment-detail",
    ),
    # Caseload management (api/caseload.py, issue 5 part H2).
    path("team/caseload/", caseload.TeamCaseloadView.as_view(), name="team-caseload"),
    path("team/queue/", caseload.TeamQueueView.as_view(), name="team-queue"),
    path(
        "households/<str:id>/suggestions/",
        caseload.HouseholdSuggestionsView.as_view(),
        name="household-suggestions",
    ),
    path(
        "households/<str:id>/assignments/",
        caseload.HouseholdAssignmentsView.as_view(),
        name="household-assignments",
    ),
    # A household's contact log, appointments and relapses (api/contacts.py).
    path(
        "households/<str:id>/contacts/",
        contacts.HouseholdContactsView.as_view(),
        name="household-contacts",
    ),
    path("contacts/<str:id>/", contacts.ContactDetailView.as_view(), name="contact-detail"),
    path(
        "contacts/<str:id>/correction/",
        contacts.ContactCorrectionView.as_view(),
        name="contact-correction",
    ),
    path(
        "households/<str:id>/appointments/",
        contacts.HouseholdAppointmentsView.as_view(),
        name="household-appointments",
    ),
    path(
        "appointments/<str:id>/",
        contacts.AppointmentDetailView.as_view(),
        name="appointment-detail",
    ),
    path(
        "households/<str:id>/relapses/",
        contacts.HouseholdRelapsesView.as_view(),
        name="household-relapses",
    ),
    # The household plan: goals, steps, reviews and its history (api/plans.py, issue 6).
    path("households/<str:id>/plan/", plans.HouseholdPlanView.as_view(), name="household-plan"),
    path(
        "households/<str:id>/plan/goals/",
        plans.PlanGoalsView.as_view(),
        name="household-plan-goals",
    ),
    path(
        "households/<str:id>/plan/reviews/",
        plans.PlanReviewsView.as_view(),
        name="household-plan-reviews",
    ),
    path(
        "households/<str:id>/plan/versions/",
        plans.PlanVersionsView.as_view(),
        name="household-plan-versions",
    ),
    path(
        "households/<str:id>/plan/as-of/",
        plans.PlanAsOfView.as_view(),
        name="household-plan-as-of",
    ),
    path("goals/<str:id>/", plans.GoalDetailView.as_view(), name="goal-detail"),
    path("goals/<str:id>/steps/", plans.GoalStepsView.as_view(), name="goal-steps"),
    path("steps/<str:id>/status/", plans.StepStatusView.as_view(), name="step-status"),
    # The voluntary agreement of the plan (api/plan_agreements.py, issue 6).
    path(
        "households/<str:id>/plan/agreements/",
        plan_agreements.PlanAgreementsView.as_view(),
        name="household-plan-agreements",
    ),
    path(
        "agreements/<str:id>/pdf/",
        plan_agreements.AgreementPdfView.as_view(),
        name="agreement-pdf",
    ),
    path(
        "agreements/<str:id>/signed/",
        plan_agreements.AgreementSignedView.as_view(),
        name="agreement-signed",
    ),
    # Effect estimation on an uploaded table (api/effects.py, issue 7).
    path("effects/evaluate/", effects.EffectEvaluateView.as_view(), name="effect-evaluate"),
    path("", include(router.urls)),
]
