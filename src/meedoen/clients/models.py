"""The registry: clients, households, addresses and benefit periods.

Data arrives from the benefit administration through dataexchange (the import); screens reach it
only through caseload/access.py.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meedoen.clients.constants import BenefitEndReason, BenefitType, Gender, HouseholdRole
from meedoen.core.models import BaseModel, Versioned


class Address(BaseModel):
    """A dwelling. Rows are shared by every household that ever lived there."""

    # Not indexed on its own: the unique constraint below leads with municipality (ADR 0010).
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    postcode = models.CharField(_("postcode"), max_length=6)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    house_number_addition = models.CharField(_("toevoeging"), max_length=8, blank=True)
    street = models.CharField(_("straat"), max_length=120)
    city = models.CharField(_("woonplaats"), max_length=80)
    district_code = models.CharField(_("wijkcode"), max_length=8, blank=True)
    district_name = models.CharField(_("wijk"), max_length=80, blank=True)
    neighbourhood_code = models.CharField(_("buurtcode"), max_length=10, blank=True)
    neighbourhood_name = models.CharField(_("buurt"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "postcode", "house_number", "house_number_addition"],
                name="address_unique_per_municipality",
            )
        ]
        indexes = [models.Index(fields=["municipality", "district_code"])]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number_display}, {self.postcode_display} {self.city}"

    @property
    def house_number_display(self) -> str:
        addition = self.house_number_addition
        if not addition:
            return str(self.house_number)
        return (
            f"{self.house_number}{addition}"
            if addition.isalpha()
            else (f"{self.house_number}-{addition}")
        )

    @property
    def postcode_display(self) -> str:
        return f"{self.postcode[:4]} {self.postcode[4:]}"


class Household(BaseModel):
    """People who share a home and a benefit: one plan and one contact person per household."""

    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="households",
        db_index=False,  # led by the unique constraints below
    )
    reference = models.CharField(
        _("huishoudnummer"), max_length=32, help_text=_("Nummer in de uitkeringsadministratie.")
    )
    address = models.ForeignKey(
        "clients.Address",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("huidig adres"),
        help_text=_("Afgeleid: het adres van de lopende bewoningsperiode."),
    )

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference"], name="household_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return str(_("Huishouden %(reference)s") % {"reference": self.reference})


class Residence(BaseModel):
    """A household living at an address from `start_date` until `end_date`: the history of moves."""

    household = models.ForeignKey(
        "clients.Household", on_delete=models.CASCADE, related_name="residences"
    )
    address = models.ForeignKey("clients.Address", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("bewoning")
        verbose_name_plural = _("bewoningen")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(end_date__isnull=True),
                name="residence_one_current_per_household",
            ),
        ]


class Client(Versioned, BaseModel):
    """A person who receives bijstand or guidance.

    Versioned: staff edit the contact details (clients/services.py) and the import changes the
    row too; every change raises ``version`` (core/concurrency.py).
    """

    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="clients",
        db_index=False,  # led by the unique constraints below
    )
    client_number = models.CharField(
        _("klantnummer"), max_length=32, help_text=_("Nummer in de uitkeringsadministratie.")
    )
    # The BSN itself is never stored in clear: see clients/bsn.py.
    bsn_hash = models.CharField(max_length=64, editable=False)
    bsn_encrypted = models.CharField(max_length=128, editable=False)
    first_names = models.CharField(_("voornamen"), max_length=200)
    name_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=200)
    # Lower-cased surname without prefix: "van den Berg" sorts under B, as in Dutch registers.
    # Served by the (municipality, sort_name, first_names) index below.
    sort_name = models.CharField(max_length=200, editable=False)
    date_of_birth = models.DateField(_("geboortedatum"))
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices)
    country_of_birth = models.CharField(
        _("geboorteland"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    languages = models.JSONField(
        _("talen"), default=list, blank=True, help_text=_("ISO 639-1-codes, bijvoorbeeld nl, ar.")
    )
    # What the last delivery of the benefit administration said about the contact details, so the
    # import can tell news from the administration (overwrite) from a value it keeps sending while
    # a coach has since corrected it (keep the coach's). docs/development/import.md.
    delivered_email = models.EmailField(blank=True, editable=False)
    delivered_phone = models.CharField(max_length=20, blank=True, editable=False)
    delivered_languages = models.JSONField(default=list, blank=True, editable=False)
    household = models.ForeignKey(
        "clients.Household",
        on_delete=models.SET_NULL,
        related_name="current_members",
        null=True,
        blank=True,
        verbose_name=_("huidig huishouden"),
        help_text=_("Afgeleid: het huishouden van het lopende lidmaatschap."),
    )

    class Meta:
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")
        ordering = ["sort_name", "first_names"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "client_number"], name="client_unique_number"
            ),
            models.UniqueConstraint(fields=["municipality", "bsn_hash"], name="client_unique_bsn"),
        ]
        indexes = [models.Index(fields=["municipality", "sort_name", "first_names"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_names, self.name_prefix, self.surname) if p)

    @property
    def formal_name(self) -> str:
        """ "Berg, Fatima van den" — how registers list names."""
        prefix = f" {self.name_prefix}" if self.name_prefix else ""
        return f"{self.surname}, {self.first_names}{prefix}"


class HouseholdMembership(BaseModel):
    """A client belonging to a household in a role, over a period."""

    household = models.ForeignKey(
        "clients.Household", on_delete=models.CASCADE, related_name="memberships"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=16, choices=HouseholdRole.choices)
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("lidmaatschap huishouden")
        verbose_name_plural = _("lidmaatschappen huishouden")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(end_date__isnull=True),
                name="membership_one_current_per_client",
            ),
        ]


class BenefitPeriod(BaseModel):
    """A period of bijstand. Several per client over the years: exit and re-entry stay visible."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="benefit_periods"
    )
    benefit_type = models.CharField(
        _("soort uitkering"), max_length=32, choices=BenefitType.choices
    )
    start_date = models.DateField(_("ingangsdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    end_reason = models.CharField(
        _("reden beëindiging"), max_length=32, choices=BenefitEndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("uitkeringsperiode")
        verbose_name_plural = _("uitkeringsperiodes")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(end_date__isnull=True),
                name="benefit_one_open_per_client",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="benefit_end_after_start",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.end_date is None
