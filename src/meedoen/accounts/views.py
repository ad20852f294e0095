"""Login in two steps: password (with lockout), then the TOTP code, or enrolment of an app first;
or single sign-on (views_oidc.py), offered on the same login page. Logout.

See docs/privacy/authentication.md for the flow and the policy.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from meedoen.accounts import oidc, selectors, services
from meedoen.accounts.forms import OTPCodeForm
from meedoen.accounts.middleware import IDLE_LOGOUT_SESSION_KEY
from meedoen.audit.services import Origin


def _minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def second_step_url(request: HttpRequest, *, next_url: str) -> str:
    """The TOTP code step, or enrolment for a user without an authenticator app yet."""
    step = (
        "web:otp_verify"
        if selectors.user_has_confirmed_totp_device(user=request.user)
        else "web:otp_enrol"
    )
    return f"{reverse(step)}?{urlencode({'next': next_url})}"


def _sso_context(request: HttpRequest, next_url: str) -> dict[str, Any]:
    """The single sign-on button of the login page (when SSO is on), and why the last SSO login
    failed (shown once)."""
    if not settings.OIDC_ENABLED:
        return {}
    failure = request.session.pop(oidc.SSO_FAILURE_SESSION_KEY, "")
    return {
        "sso_url": f"{reverse('web:oidc_login')}?{urlencode({'next': next_url})}",
        "sso_name": oidc.display_name(),
        "sso_only": settings.OIDC_ONLY,
        "sso_failure": oidc.failure_message(failure) if failure else "",
    }


class LoginView(auth_views.LoginView):
    """Step 1: username and password. django-axes counts failures (AUTHENTICATION_BACKENDS).
    With single sign-on on, the page also (or, with MEEDOEN_OIDC_ONLY, only) offers that."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET" and self.request.session.pop(
            IDLE_LOGOUT_SESSION_KEY, False
        ):
            context["idle_minutes"] = _minutes(settings.SESSION_COOKIE_AGE)
        context.update(_sso_context(self.request, self.get_success_url()))
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)  # logs in (and cycles the session key)
        self.request.session.pop(IDLE_LOGOUT_SESSION_KEY, None)
        if selectors.user_second_factor_required(user=form.get_user()):
            return HttpResponseRedirect(
                second_step_url(self.request, next_url=self.get_success_url())
            )
        return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes calls this for a locked username+IP (AXES_LOCKOUT_CALLABLE): 429 with the
    login page and a Dutch message. The password is never echoed."""
    minutes = _minutes(settings.AXES_COOLOFF_TIME.total_seconds())
    message = _(
        "Te veel mislukte inlogpogingen. Inloggen met deze gebruikersnaam is vanaf dit adres "
        "%(minutes)s minuten geblokkeerd. Probeer het daarna opnieuw, of vraag de functioneel "
        "beheerder om hulp."
    ) % {"minutes": minutes}
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    username = request.POST.get("username", "")[:150] if request.method == "POST" else ""
    form = AuthenticationForm(request, initial={"username": username})
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked_message": message,
            "next": _safe_next(request),
            **_sso_context(request, _safe_next(request)),
        },
        status=429,
    )


def _already_verified(request: HttpRequest) -> bool:
    return bool(request.user.is_verified())  # type: ignore[union-attr]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the authenticator app."""
    next_url = _safe_next(request)
    if _already_verified(request):
        return HttpResponseRedirect(next_url)
    if not selectors.user_has_confirmed_totp_device(user=request.user):
        return HttpResponseRedirect(f"{reverse('web:otp_enrol')}?{urlencode({'next': next_url})}")
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_verify(
                user=request.user,
                token=form.cleaned_data["code"],
                origin=Origin.from_request(request),
            )
        except services.TOTPThrottledError:
            form.add_wrong_code_error(throttled=True)
        else:
            if device is not None:
                return _verified(request, device, next_url)
            form.add_wrong_code_error()
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """First login with 2FA: link an authenticator app by QR code (or the secret typed in)."""
    next_url = _safe_next(request)
    if selectors.user_has_confirmed_totp_device(user=request.user):
        target = next_url if _already_verified(request) else reverse("web:otp_verify")
        if target != next_url:
            target = f"{target}?{urlencode({'next': next_url})}"
        return HttpResponseRedirect(target)
    device = services.totp_enrolment_device(user=request.user)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.totp_enrolment_confirm(
                user=request.user,
                token=form.cleaned_data["code"],
                origin=Origin.from_request(request),
            )
        except services.TOTPThrottledError:
            form.add_wrong_code_error(throttled=True)
        else:
            if confirmed is not None:
                return _verified(request, confirmed, next_url)
            form.add_wrong_code_error()
    # segno writes plain SVG paths (no inline style), so the page stays within the CSP.
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="meedoen-qr", lineclass=None
    )
    qr_svg = qr_svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(_("QR-code voor uw authenticator-app"))}" ',
        1,
    )
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": mark_safe(qr_svg),  # noqa: S308 - generated by segno from our own data  # nosec B308, B703
            "secret_groups": selectors.totp_secret_groups(device=device),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
        status=400 if form.errors else 200,
    )


def _verified(request: HttpRequest, device: Any, next_url: str) -> HttpResponse:
    # A new session key once the second factor is in: a key seen before the code stays useless.
    request.session.cycle_key()
    otp_login(request, device)
    return HttpResponseRedirect(next_url)


class LogoutView(auth_views.LogoutView):
    """Ends the session (POST). A session opened by single sign-on is then sent on to the identity
    provider's end-session endpoint when MEEDOEN_OIDC_LOGOUT_AT_IDP is set."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_logout = (
            oidc.end_session_url(request) if request.session.get(oidc.SSO_SESSION_KEY) else None
        )
        response: HttpResponse = super().post(request, *args, **kwargs)
        if provider_logout:
            return HttpResponseRedirect(provider_logout)
        return response
