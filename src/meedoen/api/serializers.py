"""API representations of the registry. Read-only: data arrives through the import.

Serializers only read attributes that the view's queryset has already fetched (select_related /
prefetch_related in api/selectors.py), so a response costs a fixed number of queries.
"""

from __future__ import annotations

import binascii
from typing import Any

from cryptography.exceptions import InvalidTag
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meedoen.clients.bsn import bsn_decrypt, bsn_mask, bsn_normalise
from meedoen.clients.models import (
    Address,
    BenefitPeriod,
    Client,
    Household,
    HouseholdMembership,
    Residence,
)


def _masked_bsn(client: Client) -> str:
    try:
        return bsn_mask(bsn_decrypt(client.bsn_encrypted))
    except (InvalidTag, ValueError, binascii.Error):
        # A row encrypted under another key: show that a BSN exists without failing the response.
        return bsn_mask("")


class AddressSerializer(serializers.ModelSerializer[Address]):
    class Meta:
        model = Address
        fields = [
            "postcode",
            "house_number",
            "house_number_addition",
            "street",
            "city",
            "district_code",
            "district_name",
            "neighbourhood_code",
            "neighbourhood_name",
        ]
        read_only_fields = fields


class BenefitPeriodSerializer(serializers.ModelSerializer[BenefitPeriod]):
    class Meta:
        model = BenefitPeriod
        fields = ["id", "benefit_type", "start_date", "end_date", "end_reason"]
        read_only_fields = fields


class _MaskedBsnMixin(serializers.Serializer[Client]):
    bsn_masked = serializers.SerializerMethodField(
        help_text=_("Alleen de laatste drie cijfers; het volledige BSN geeft de API nooit.")
    )

    def get_bsn_masked(self, obj: Client) -> str:
        return _masked_bsn(obj)


class ClientListSerializer(_MaskedBsnMixin, serializers.ModelSerializer[Client]):
    household = serializers.UUIDField(
        source="household_id", allow_null=True, read_only=True, help_text=_("Huidig huishouden.")
    )
    address = AddressSerializer(
        source="household.address", allow_null=True, read_only=True, help_text=_("Huidig adres.")
    )

    class Meta:
        model = Client
        fields = [
            "id",
            "client_number",
            "first_names",
            "name_prefix",
            "surname",
            "date_of_birth",
            "bsn_masked",
            "household",
            "address",
        ]
        read_only_fields = fields


class ClientHouseholdSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    reference = serializers.CharField(read_only=True)
    role = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Rol van de cliënt in het huishouden.")
    )


class ClientDetailSerializer(ClientListSerializer):
    household = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text=_("Huidig huishouden, met de rol van de cliënt daarin.")
    )
    benefit_periods = BenefitPeriodSerializer(many=True, read_only=True)

    class Meta(ClientListSerializer.Meta):
        fields = [
            "id",
            "client_number",
            "first_names",
            "name_prefix",
            "surname",
            "date_of_birth",
            "gender",
            "country_of_birth",
            "email",
            "phone",
            "languages",
            "bsn_masked",
            "household",
            "address",
            "benefit_periods",
        ]
        read_only_fields = fields

    @extend_schema_field(ClientHouseholdSerializer(allow_null=True))
    def get_household(self, obj: Client) -> dict[str, Any] | None:
        household = obj.household
        if household is None:
            return None
        # `current_memberships` is prefetched by clients.selectors.client_detail_queryset.
        memberships = getattr(household, "current_memberships", [])
        role = next((m.role for m in memberships if m.client_id == obj.pk), None)
        return {"id": household.pk, "reference": household.reference, "role": role}


class HouseholdMemberSerializer(serializers.ModelSerializer[HouseholdMembership]):
    client = serializers.UUIDField(source="client_id", read_only=True)
    first_names = serializers.CharField(source="client.first_names", read_only=True)
    name_prefix = serializers.CharField(source="client.name_prefix", read_only=True)
    surname = serializers.CharField(source="client.surname", read_only=True)

    class Meta:
        model = HouseholdMembership
        fields = [
            "client",
            "first_names",
            "name_prefix",
            "surname",
            "role",
            "start_date",
            "end_date",
        ]
        read_only_fields = fields


class ResidenceSerializer(serializers.ModelSerializer[Residence]):
    address = AddressSerializer(read_only=True)

    class Meta:
        model = Residence
        fields = ["address", "start_date", "end_date"]
        read_only_fields = fields


class HouseholdListSerializer(serializers.ModelSerializer[Household]):
    address = AddressSerializer(read_only=True, allow_null=True, help_text=_("Huidig adres."))
    members = HouseholdMemberSerializer(
        source="current_memberships",
        many=True,
        read_only=True,
        help_text=_("Huidige leden met hun rol."),
    )

    class Meta:
        model = Household
        fields = ["id", "reference", "address", "members"]
        read_only_fields = fields


class HouseholdDetailSerializer(HouseholdListSerializer):
    member_history = HouseholdMemberSerializer(
        source="all_memberships",
        many=True,
        read_only=True,
        help_text=_("Alle lidmaatschappen, ook beëindigde, nieuwste eerst."),
    )
    residences = ResidenceSerializer(
        many=True, read_only=True, help_text=_("Bewoningsgeschiedenis, nieuwste eerst.")
    )

    class Meta(HouseholdListSerializer.Meta):
        fields = ["id", "reference", "address", "members", "member_history", "residences"]
        read_only_fields = fields


class BsnSearchSerializer(serializers.Serializer[Any]):
    bsn = serializers.CharField(
        write_only=True,
        max_length=20,
        trim_whitespace=True,
        help_text=_("Volledig BSN, 9 cijfers (punten en spaties mogen)."),
    )

    def validate_bsn(self, value: str) -> str:
        bsn = bsn_normalise(value)
        if bsn is None:
            # Never echo the input: it may be a (mistyped) BSN.
            raise serializers.ValidationError(
                _("Dit is geen geldig BSN: een BSN heeft 9 cijfers en voldoet aan de elfproef.")
            )
        return bsn


class BsnSearchResultSerializer(serializers.Serializer[Any]):
    results = ClientListSerializer(many=True, read_only=True)


# The contact details staff may change: telephone, e-mail address, languages. (Comments, not
# docstrings: drf-spectacular would publish a docstring in the schema, which is Dutch.)
class ClientContactSerializer(serializers.ModelSerializer[Client]):
    class Meta:
        model = Client
        fields = ["phone", "email", "languages"]
        read_only_fields = fields


# A PATCH of the contact details: fields left out stay as they are; "" or [] empties one. Only
# shape and length are checked here; whether a number, address or code is valid is the service's
# check (clients.contact), the same one the web form uses.
class ClientContactUpdateSerializer(serializers.Serializer[Any]):
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_("Nederlands (06 12345678, 070 1234567) of internationaal met + en landnummer."),
    )
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=12),
        required=False,
        max_length=20,
        help_text=_(
            "ISO 639-1-codes, of ISO 639-3 als er geen tweeletterige code is: nl, ar, pap."
        ),
    )
