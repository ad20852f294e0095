"""Registry test data, written straight to the models (test set-up, not a product path)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from meedoen.accounts.models import Municipality
from meedoen.clients.bsn import bsn_encrypt, bsn_hash
from meedoen.clients.constants import BenefitType, Gender, HouseholdRole
from meedoen.clients.models import (
    Address,
    BenefitPeriod,
    Client,
    Household,
    HouseholdMembership,
    Residence,
)

_counter = itertools.count(1)


def registry_municipality(*, code: str, name: str) -> Municipality:
    municipality, _ = Municipality.objects.get_or_create(code=code, defaults={"name": name})
    return municipality


def test_bsn(n: int) -> str:
    """The n-th BSN in the 9999xxxxx test range that passes the 11-proef."""
    found = 0
    for candidate in range(999900000, 999999999):
        digits = str(candidate)
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
        if (total - int(digits[8])) % 11 == 0:
            found += 1
            if found == n:
                return digits
    raise ValueError(n)


class ClientFactory:
    """Builds a client in a household at an address with an open benefit period."""

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality

    def __call__(self, **overrides: Any) -> Client:
        n = next(_counter)
        bsn = overrides.pop("bsn", None) or test_bsn(n)
        district_code = overrides.pop("district_code", "WK051828")
        district_name = overrides.pop("district_name", "Schilderswijk")
        postcode = overrides.pop("postcode", "2526AB")
        address, _ = Address.objects.get_or_create(
            municipality=self.municipality,
            postcode=postcode,
            house_number=overrides.pop("house_number", n),
            house_number_addition="",
            defaults={
                "street": "Hoefkade",
                "city": "'s-Gravenhage",
                "district_code": district_code,
                "district_name": district_name,
            },
        )
        household = overrides.pop("household", None)
        if household is None:
            household = Household.objects.create(
                municipality=self.municipality, reference=f"H{n:07d}", address=address
            )
            Residence.objects.create(
                household=household, address=address, start_date=dt.date(2019, 1, 1)
            )
        surname = overrides.pop("surname", f"Achternaam{n}")
        fields: dict[str, Any] = {
            "municipality": self.municipality,
            "client_number": f"K{n:07d}",
            "bsn_hash": bsn_hash(bsn),
            "bsn_encrypted": bsn_encrypt(bsn),
            "first_names": f"Voornaam{n}",
            "surname": surname,
            "sort_name": surname.lower(),
            "date_of_birth": dt.date(1970, 1, 1),
            "gender": Gender.FEMALE,
            "household": household,
        }
        role = overrides.pop("role", HouseholdRole.APPLICANT)
        fields.update(overrides)
        client = Client.objects.create(**fields)
        HouseholdMembership.objects.create(
            household=household, client=client, role=role, start_date=dt.date(2019, 1, 1)
        )
        BenefitPeriod.objects.create(
            client=client, benefit_type=BenefitType.SINGLE, start_date=dt.date(2019, 1, 1)
        )
        return client
