"""generate_demo through the real import, and demo_accounts."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from meedoen.accounts.constants import STAFF_ROLES
from meedoen.accounts.models import Municipality, Team, User
from meedoen.audit.models import AuditEvent
from meedoen.clients.models import BenefitPeriod, Client, Residence
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.demo.accounts import ACCOUNTS, DEMO_PASSWORD
from meedoen.dataexchange.models import ImportRun

TODAY = "2025-06-01"


def _run(*args: str, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_generate_demo_loads_three_deliveries_with_visible_history():
    output = _run("generate_demo", clients=300, seed=1, today=TODAY, force=True)

    municipality = Municipality.objects.get(code="0518")
    assert municipality.name == "'s-Gravenhage"
    runs = ImportRun.objects.filter(municipality=municipality)
    assert runs.count() == 3
    assert set(runs.values_list("status", flat=True)) == {ImportStatus.APPLIED}
    assert "ingelezen" in output

    clients = Client.objects.filter(municipality=municipality)
    on_benefit_households = (
        clients.filter(benefit_periods__end_date__isnull=True).values("household").distinct()
    )
    assert clients.count() > 300  # plus the people who left before the last delivery
    assert clients.filter(household__in=on_benefit_households).count() >= 300

    periods = BenefitPeriod.objects.filter(client__municipality=municipality)
    with_two = periods.values("client").annotate(n=Count("id")).filter(n__gte=2)
    assert with_two.count() >= 3  # re-entry, or a new kind of benefit after a partner change
    assert periods.filter(end_date__isnull=False, end_reason="werk").exists()
    assert periods.filter(end_date__isnull=False).count() >= 20
    assert Residence.objects.filter(
        household__municipality=municipality, end_date__isnull=False
    ).exists()  # moves
    # No BSN in the command's output.
    assert not any(word.isdigit() and len(word) == 9 for word in output.split())


@pytest.mark.django_db(transaction=True)
def test_skip_if_present_does_nothing_when_the_municipality_has_clients(client_factory):
    client_factory()
    output = _run(
        "generate_demo", clients=50, seed=1, today=TODAY, skip_if_present=True, force=True
    )
    assert "overgeslagen" in output
    assert not ImportRun.objects.exists()
    assert Client.objects.count() == 1


def test_out_writes_the_same_bytes_for_the_same_seed_and_touches_no_database(tmp_path):
    _run("generate_demo", clients=120, seed=3, today=TODAY, out=str(tmp_path / "a"))
    _run("generate_demo", clients=120, seed=3, today=TODAY, out=str(tmp_path / "b"))
    _run("generate_demo", clients=120, seed=4, today=TODAY, out=str(tmp_path / "c.csv"))
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 3
    assert names[-1] == "demo-0518-seed3-levering3-2025-06-01.csv"
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "c.csv").read_bytes() != (tmp_path / "a" / names[-1]).read_bytes()
    assert (tmp_path / "c-levering1.csv").exists()


@pytest.mark.django_db
def test_generate_demo_refuses_to_write_to_the_database_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Geweigerd: demodata hoort niet"):
        _run("generate_demo", clients=10, seed=1, today=TODAY)
    assert not Client.objects.exists()
    assert not ImportRun.objects.exists()


def test_bad_today_is_refused_in_dutch():
    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        _run("generate_demo", clients=10, today="1-6-2025", out="/nonexistent")


@pytest.mark.django_db
def test_demo_accounts_are_created_once_and_can_log_in(settings):
    settings.DEBUG = True
    output = _run("demo_accounts")
    assert DEMO_PASSWORD in output
    assert "7 nieuw aangemaakt" in output

    users = {u.username: u for u in User.objects.select_related("municipality", "team")}
    assert set(users) == {spec.username for spec in ACCOUNTS}
    assert {u.role for u in users.values()} == set(STAFF_ROLES)  # clients: portal_demo_account
    for user in users.values():
        assert user.check_password(DEMO_PASSWORD)
    assert len(DEMO_PASSWORD) >= 12
    assert users["demo-klantregisseur"].team.name == "Team Centrum"
    assert users["demo-klantregisseur-escamp"].team.name == "Team Escamp"
    assert users["demo-klantregisseur-rotterdam"].municipality.code == "0599"
    assert users["demo-klantregisseur"].municipality.code == "0518"
    assert Team.objects.filter(municipality__code="0518").count() == 3
    audit_rows = AuditEvent.objects.filter(action="accounts.user.demo_create").count()
    assert audit_rows == 7

    again = _run("demo_accounts")
    assert "0 nieuw aangemaakt" in again
    assert User.objects.count() == 7
    assert Team.objects.count() == 4
    assert AuditEvent.objects.filter(action__startswith="accounts.user.demo").count() == 7


@pytest.mark.django_db
def test_demo_accounts_repair_a_changed_password(settings):
    settings.DEBUG = True
    _run("demo_accounts")
    user = User.objects.get(username="demo-beheerder")
    user.set_password("something-else-entirely")
    user.save(update_fields=["password"])
    _run("demo_accounts")
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_demo_accounts_refuse_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="productie"):
        _run("demo_accounts")
    assert not User.objects.exists()

    _run("demo_accounts", force=True)
    assert User.objects.count() == len(ACCOUNTS)


@pytest.mark.django_db
def test_demo_accounts_get_a_totp_device_with_the_printed_secret(settings):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from meedoen.dataexchange.demo.accounts import DEMO_TOTP_SECRET

    settings.DEBUG = True
    output = _run("demo_accounts")
    assert " ".join(DEMO_TOTP_SECRET[i : i + 4] for i in range(0, 32, 4)) in output
    _run("demo_accounts")  # idempotent: still one device per account
    devices = TOTPDevice.objects.filter(confirmed=True)
    assert devices.count() == len(ACCOUNTS)
    # A code computed from the printed secret (as an authenticator app does) is accepted.
    import base64

    code = TOTP(base64.b32decode(DEMO_TOTP_SECRET)).token()
    assert devices.first().verify_token(code)
