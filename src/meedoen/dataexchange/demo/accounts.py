"""Demo staff: teams and one account per role, with a known password. Never in production."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from meedoen.accounts.constants import Role
from meedoen.accounts.models import Municipality, Team, User
from meedoen.accounts.services import totp_device_demo_ensure
from meedoen.audit.services import Origin, audit_record
from meedoen.dataexchange.demo.services import demo_municipality_get_or_create

# Known on purpose: the README prints it. At least 12 characters, like real passwords here.
DEMO_PASSWORD = "meedoen-demo-wachtwoord"  # noqa: S105
# One fixed TOTP secret (base32) for every demo account, printed by `meedoen demo_accounts`: add it
# once to an authenticator app to log in as any demo account with MEEDOEN_REQUIRE_2FA=1.
DEMO_TOTP_SECRET = "MEEDOENDEMOTOTPGEHEIMNIETVOORPRD"  # noqa: S105
SECOND_MUNICIPALITY_CODE = "0599"
TEAMS = ("Team Centrum", "Team Escamp", "Team Laak")
SECOND_MUNICIPALITY_TEAM = "Team Feijenoord"


@dataclass(frozen=True)
class DemoAccountSpec:
    username: str
    role: Role
    first_name: str
    last_name: str
    team: str | None  # name of the team, in the account's municipality
    second_municipality: bool = False


ACCOUNTS: tuple[DemoAccountSpec, ...] = (
    DemoAccountSpec("demo-klantregisseur", Role.COACH, "Karin", "de Regisseur", "Team Centrum"),
    DemoAccountSpec("demo-teamleider", Role.TEAM_LEAD, "Tom", "Leider", "Team Centrum"),
    DemoAccountSpec("demo-analist", Role.ANALYST, "Anouk", "Analist", None),
    DemoAccountSpec("demo-fg", Role.PRIVACY_OFFICER, "Fleur", "Gegevens", None),
    DemoAccountSpec("demo-beheerder", Role.FUNCTIONAL_ADMIN, "Bart", "Beheer", None),
    # A coach in another team of the same municipality, and one in another municipality:
    # log in as each to see that their client lists are separated.
    DemoAccountSpec("demo-klantregisseur-escamp", Role.COACH, "Esra", "van Escamp", "Team Escamp"),
    DemoAccountSpec(
        "demo-klantregisseur-rotterdam",
        Role.COACH,
        "Ruud",
        "van Rotterdam",
        SECOND_MUNICIPALITY_TEAM,
        second_municipality=True,
    ),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    municipality: Municipality
    team: Team | None
    created: bool
    user: User


@transaction.atomic
def demo_accounts_ensure(*, municipality_code: str) -> list[DemoAccount]:
    """Create or repair the demo teams and accounts; running it again changes nothing."""
    home = demo_municipality_get_or_create(code=municipality_code)
    second = demo_municipality_get_or_create(code=SECOND_MUNICIPALITY_CODE)
    teams: dict[tuple[object, str], Team] = {}
    for municipality, names in ((home, TEAMS), (second, (SECOND_MUNICIPALITY_TEAM,))):
        for name in names:
            teams[(municipality.pk, name)] = Team.objects.get_or_create(
                municipality=municipality, name=name
            )[0]

    origin = Origin(channel="command")
    result = []
    for spec in ACCOUNTS:
        municipality = second if spec.second_municipality else home
        team: Team | None = teams[(municipality.pk, spec.team)] if spec.team else None
        user = User.objects.filter(username=spec.username).first()
        created = user is None
        if user is None:
            user = User.objects.create_user(
                username=spec.username,
                password=DEMO_PASSWORD,
                first_name=spec.first_name,
                last_name=spec.last_name,
                municipality=municipality,
                team=team,
                role=spec.role,
            )
            audit_record(actor=None, action="accounts.user.demo_create", origin=origin, obj=user)
        else:
            changed = []
            for name, value in (
                ("municipality", municipality),
                ("team", team),
                ("role", spec.role),
                ("is_active", True),
            ):
                if getattr(user, name) != value:
                    setattr(user, name, value)
                    changed.append(name)
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                changed.append("password")
            if changed:
                user.save(update_fields=changed)
                audit_record(
                    actor=None,
                    action="accounts.user.demo_repair",
                    origin=origin,
                    obj=user,
                    detail={"fields": changed},
                )
        totp_device_demo_ensure(user=user, secret_base32=DEMO_TOTP_SECRET)
        result.append(DemoAccount(spec.username, spec.role, municipality, team, created, user))
    return result
