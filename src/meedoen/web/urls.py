from django.urls import path

from meedoen.accounts import views as account_views
from meedoen.accounts import views_oidc, views_password
from meedoen.web import (
    views,
    views_audit,
    views_caseload,
    views_consent,
    views_contact,
    views_household,
    views_instruments,
    views_outcomes,
    views_partners,
    views_plan,
    views_plan_agreement,
    views_privacy,
    views_profile,
    views_staff,
    views_worklist,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Login lives in accounts (password with lockout, then the 2FA code or enrolment).
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("inloggen/code/", account_views.otp_verify, name="otp_verify"),
    path("inloggen/code-instellen/", account_views.otp_enrol, name="otp_enrol"),
    # Single sign-on through the municipality's identity provider; 404 while it is off.
    path("inloggen/sso/", views_oidc.OIDCLoginView.as_view(), name="oidc_login"),
    path("inloggen/sso/terug/", views_oidc.OIDCCallbackView.as_view(), name="oidc_callback"),
    path("uitloggen/", account_views.LogoutView.as_view(), name="logout"),
    # The one-time link a functional admin hands to a new colleague (accounts.views_password).
    path(
        "wachtwoord-instellen/<str:uidb64>/<str:token>/",
        views_password.PasswordSetView.as_view(),
        name="password_set",
    ),
    path("clienten/", views.client_list, name="client_list"),
    path("clienten/<uuid:client_id>/", views.client_detail, name="client_detail"),
    path(
        "clienten/<uuid:client_id>/bsn-tonen/",
        views.client_bsn_reveal_view,
        name="client_bsn_reveal",
    ),
    # Contact details: the first edit, guarded by the client's version (web.views_contact).
    path(
        "clienten/<uuid:client_id>/contactgegevens/",
        views_contact.client_contact_edit,
        name="client_contact_edit",
    ),
    # Conversations and profiles (web.views_profile): record one from the client page, look at
    # one, correct one (guarded by its version); the "in kaart gebracht" counts per wijk.
    path(
        "clienten/<uuid:client_id>/gesprekken/nieuw/",
        views_profile.conversation_create,
        name="conversation_create",
    ),
    path(
        "gesprekken/<uuid:conversation_id>/",
        views_profile.conversation_detail,
        name="conversation_detail",
    ),
    path(
        "gesprekken/<uuid:conversation_id>/corrigeren/",
        views_profile.conversation_edit,
        name="conversation_edit",
    ),
    path("in-kaart/", views_profile.profile_overview, name="profile_overview"),
    # The coach's caseload with its signals (web.views_worklist; issue 5, part H4).
    path("mijn-caseload/", views_worklist.my_caseload, name="my_caseload"),
    # The household page and its contact log, appointments and relapses (web.views_household).
    path(
        "huishoudens/<uuid:household_id>/",
        views_household.household_detail,
        name="household_detail",
    ),
    path(
        "huishoudens/<uuid:household_id>/contact/nieuw/",
        views_household.contact_create,
        name="contact_create",
    ),
    path(
        "contactmomenten/<uuid:contact_id>/",
        views_household.contact_detail,
        name="contact_detail",
    ),
    path(
        "contactmomenten/<uuid:contact_id>/corrigeren/",
        views_household.contact_correct,
        name="contact_correct",
    ),
    path(
        "huishoudens/<uuid:household_id>/afspraken/nieuw/",
        views_household.appointment_create,
        name="appointment_create",
    ),
    path(
        "afspraken/<uuid:appointment_id>/",
        views_household.appointment_edit,
        name="appointment_edit",
    ),
    path(
        "huishoudens/<uuid:household_id>/terugval/nieuw/",
        views_household.relapse_create,
        name="relapse_create",
    ),
    # The household plan (web.views_plan, issue 6): the plan (POST opens it), goals, steps and
    # their status, reviews, the review interval, the history and the plan as it was on a date.
    path("huishoudens/<uuid:household_id>/plan/", views_plan.plan_detail, name="plan_detail"),
    path(
        "huishoudens/<uuid:household_id>/plan/doelen/nieuw/",
        views_plan.goal_create,
        name="plan_goal_create",
    ),
    path("plandoelen/<uuid:goal_id>/", views_plan.goal_edit, name="plan_goal_edit"),
    path(
        "plandoelen/<uuid:goal_id>/stappen/nieuw/",
        views_plan.step_create,
        name="plan_step_create",
    ),
    path("planstappen/<uuid:step_id>/status/", views_plan.step_status, name="plan_step_status"),
    path(
        "huishoudens/<uuid:household_id>/plan/evaluatie/nieuw/",
        views_plan.review_create,
        name="plan_review_create",
    ),
    path(
        "huishoudens/<uuid:household_id>/plan/evaluatietermijn/",
        views_plan.review_interval,
        name="plan_review_interval",
    ),
    path(
        "huishoudens/<uuid:household_id>/plan/versies/",
        views_plan.plan_history,
        name="plan_history",
    ),
    # The voluntary agreement (web.views_plan_agreement): make one, download its PDF, record
    # that it was signed on paper.
    path(
        "huishoudens/<uuid:household_id>/plan/afspraken/",
        views_plan_agreement.plan_agreement_create,
        name="plan_agreement_create",
    ),
    path(
        "planafspraken/<uuid:agreement_id>/pdf/",
        views_plan_agreement.plan_agreement_pdf,
        name="plan_agreement_pdf",
    ),
    path(
        "planafspraken/<uuid:agreement_id>/ondertekend/",
        views_plan_agreement.plan_agreement_signed,
        name="plan_agreement_signed",
    ),
    # Data-subject access request (AVG art. 15): the export, by POST (web.views_privacy).
    path(
        "clienten/<uuid:client_id>/inzageverzoek/<str:file_format>/",
        views_privacy.client_subject_access,
        name="client_subject_access",
    ),
    # Outcomes a coach records, from the client page (web.views_outcomes, issue 7).
    path(
        "clienten/<uuid:client_id>/uitkomsten/nieuw/",
        views_outcomes.outcome_create,
        name="outcome_create",
    ),
    path(
        "uitkomsten/<uuid:outcome_id>/wijzigen/",
        views_outcomes.outcome_edit,
        name="outcome_edit",
    ),
    path(
        "uitkomsten/<uuid:outcome_id>/verwijderen/",
        views_outcomes.outcome_remove,
        name="outcome_delete",
    ),
    # Consent: record and withdraw, from the client page (web.views_consent).
    path(
        "clienten/<uuid:client_id>/toestemmingen/",
        views_consent.consent_give_view,
        name="consent_give",
    ),
    path(
        "clienten/<uuid:client_id>/toestemmingen/intrekken/",
        views_consent.consent_withdraw_view,
        name="consent_withdraw",
    ),
    # User management: the functional admin's staff accounts and teams (web.views_staff).
    path("beheer-gebruikers/", views_staff.staff_list, name="staff_list"),
    path("beheer-gebruikers/nieuw/", views_staff.staff_create, name="staff_create"),
    path("beheer-gebruikers/<int:user_id>/", views_staff.staff_edit, name="staff_edit"),
    path(
        "beheer-gebruikers/<int:user_id>/deactiveren/",
        views_staff.staff_deactivate,
        name="staff_deactivate",
    ),
    path(
        "beheer-gebruikers/<int:user_id>/activeren/",
        views_staff.staff_reactivate,
        name="staff_reactivate",
    ),
    path(
        "beheer-gebruikers/<int:user_id>/tweestapsverificatie/",
        views_staff.staff_otp_reset,
        name="staff_otp_reset",
    ),
    path(
        "beheer-gebruikers/<int:user_id>/wachtwoordlink/",
        views_staff.staff_password_link,
        name="staff_password_link",
    ),
    path("beheer-gebruikers/teams/", views_staff.team_list, name="team_list"),
    path("beheer-gebruikers/teams/<uuid:team_id>/", views_staff.team_edit, name="team_edit"),
    # Partner organisations (web.views_partners): the municipality's registry, an organisation
    # involved with a household, and recording information shared under the client's consent.
    path("partnerorganisaties/", views_partners.partner_list, name="partner_list"),
    path("partnerorganisaties/nieuw/", views_partners.partner_create, name="partner_create"),
    path(
        "partnerorganisaties/<uuid:organisation_id>/",
        views_partners.partner_detail,
        name="partner_detail",
    ),
    path(
        "partnerorganisaties/<uuid:organisation_id>/wijzigen/",
        views_partners.partner_edit,
        name="partner_edit",
    ),
    path(
        "partnerorganisaties/<uuid:organisation_id>/contactpersonen/nieuw/",
        views_partners.partner_person_create,
        name="partner_person_create",
    ),
    path(
        "partnerorganisaties/contactpersonen/<uuid:person_id>/",
        views_partners.partner_person_edit,
        name="partner_person_edit",
    ),
    path(
        "huishoudens/<uuid:household_id>/betrokkenen/nieuw/",
        views_partners.involvement_create,
        name="involvement_create",
    ),
    path(
        "betrokkenheden/<uuid:involvement_id>/",
        views_partners.involvement_edit,
        name="involvement_edit",
    ),
    path(
        "betrokkenheden/<uuid:involvement_id>/delen/",
        views_partners.information_share,
        name="information_share",
    ),
    # The instrument catalogue, its categories, and enrolments of a household's members
    # (web.views_instruments, issue 6).
    path("instrumenten/", views_instruments.instrument_list, name="instrument_list"),
    path("instrumenten/nieuw/", views_instruments.instrument_create_view, name="instrument_create"),
    path(
        "instrumenten/categorieen/",
        views_instruments.category_list,
        name="instrument_category_list",
    ),
    path(
        "instrumenten/categorieen/<uuid:category_id>/",
        views_instruments.category_edit,
        name="instrument_category_edit",
    ),
    path(
        "instrumenten/<uuid:instrument_id>/",
        views_instruments.instrument_detail,
        name="instrument_detail",
    ),
    path(
        "instrumenten/<uuid:instrument_id>/wijzigen/",
        views_instruments.instrument_edit,
        name="instrument_edit",
    ),
    path(
        "huishoudens/<uuid:household_id>/instrumenten/",
        views_instruments.household_enrolments,
        name="household_enrolments",
    ),
    path(
        "deelnames/<uuid:enrolment_id>/",
        views_instruments.enrolment_detail,
        name="enrolment_detail",
    ),
    # Caseload management by the team lead (web.views_caseload, issue 5 part H2).
    path("team/caseload/", views_caseload.caseload_team, name="caseload_team"),
    path("team/wachtrij/", views_caseload.assignment_queue_view, name="assignment_queue"),
    path(
        "huishoudens/<uuid:household_id>/toewijzen/",
        views_caseload.household_assign_view,
        name="household_assign",
    ),
    path(
        "huishoudens/<uuid:household_id>/intensiteit/",
        views_caseload.assignment_intensity,
        name="assignment_intensity",
    ),
    path(
        "team/caseload/<int:coach_id>/herverdelen/",
        views_caseload.caseload_redistribute_view,
        name="caseload_redistribute",
    ),
    path("team/afspraken/", views_caseload.caseload_policy, name="caseload_policy"),
    path("team/klantregisseurs/<int:user_id>/", views_caseload.coach_profile, name="coach_profile"),
    path("team/vervanging/nieuw/", views_caseload.cover_create_view, name="cover_create"),
    path(
        "team/vervanging/<uuid:cover_id>/beeindigen/",
        views_caseload.cover_end_view,
        name="cover_end",
    ),
    # The privacy officer's audit pages (web.views_audit).
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("audit/clienten/", views_audit.audit_client_search, name="audit_client_search"),
    path("audit/clienten/<uuid:client_id>/", views_audit.audit_client_log, name="audit_client_log"),
    path(
        "audit/clienten/<uuid:client_id>/inzageverzoek/<str:file_format>/",
        views_privacy.audit_client_subject_access,
        name="audit_client_subject_access",
    ),
]
