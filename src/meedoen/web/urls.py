from django.contrib.auth import views as auth_views
from django.urls import path

from meedoen.accounts import views as account_views
from meedoen.web import views, views_audit, views_consent, views_privacy

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Login lives in accounts (password with lockout, then the 2FA code or enrolment).
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("inloggen/code/", account_views.otp_verify, name="otp_verify"),
    path("inloggen/code-instellen/", account_views.otp_enrol, name="otp_enrol"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("clienten/", views.client_list, name="client_list"),
    path("clienten/<uuid:client_id>/", views.client_detail, name="client_detail"),
    path(
        "clienten/<uuid:client_id>/bsn-tonen/",
        views.client_bsn_reveal_view,
        name="client_bsn_reveal",
    ),
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
