from django.urls import path

from meedoen.accounts import views as account_views
from meedoen.accounts import views_oidc, views_password
from meedoen.web import (
    views,
    views_audit,
    views_consent,
    views_contact,
    views_privacy,
    views_profile,
    views_staff,
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
    # Data-subject access request (AVG art. 15): the export, by POST (web.views_privacy).
    path(
        "clienten/<uuid:client_id>/inzageverzoek/<str:file_format>/",
        views_privacy.client_subject_access,
        name="client_subject_access",
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
