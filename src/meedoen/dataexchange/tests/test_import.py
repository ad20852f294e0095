"""What an import does to the registry: first load, repeats, later deliveries, full delivery."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Max

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.clients.bsn import bsn_decrypt, bsn_hash
from meedoen.clients.constants import BenefitEndReason, HouseholdRole
from meedoen.clients.models import (
    Address,
    BenefitPeriod,
    Client,
    Household,
    HouseholdMembership,
    Residence,
)
from meedoen.dataexchange import bulk, services
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.models import ImportRun
from meedoen.dataexchange.tests.delivery import REFERENCE_DATE, csv_bytes, member, person

pytestmark = pytest.mark.django_db

NEXT_MONTH = dt.date(2025, 2, 28)
MODELS = (Address, Household, Residence, Client, HouseholdMembership, BenefitPeriod)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def last_write():
    return max(
        model.objects.aggregate(at=Max("updated_at"))["at"]
        or dt.datetime.min.replace(tzinfo=dt.UTC)
        for model in MODELS
    )


def client(number: int) -> Client:
    return Client.objects.select_related("household__address").get(client_number=f"K{number:07d}")


def periods(number: int) -> list[tuple]:
    return list(
        BenefitPeriod.objects.filter(client=client(number))
        .order_by("start_date")
        .values_list("benefit_type", "start_date", "end_date", "end_reason")
    )


def family():
    """Household 1: applicant, partner and child; household 3: a single applicant."""
    head = person(1, talen="nl ar", tussenvoegsel="van den", achternaam="Berg")
    return [
        head,
        member(2, head, role="partner", uitkering_soort="gehuwden"),
        member(4, head, role="kind", geboortedatum="2012-05-01"),
        person(3, postcode="2525 CD", huisnummer="7", toevoeging="B"),
    ]


def test_first_import_fills_the_registry(run_import, municipality):
    run = run_import(family())

    assert run.status == ImportStatus.APPLIED, run.errors
    assert (run.new_count, run.changed_count, run.unchanged_count, run.ended_count) == (4, 0, 0, 0)
    assert counts() == {
        "Address": 2,
        "Household": 2,
        "Residence": 2,
        "Client": 4,
        "HouseholdMembership": 4,
        "BenefitPeriod": 3,
    }
    head = client(1)
    assert head.municipality == municipality
    assert (head.first_names, head.name_prefix, head.surname) == ("Voornaam1", "van den", "Berg")
    assert head.sort_name == "berg"
    assert head.languages == ["nl", "ar"]
    assert head.gender == "v"
    assert head.country_of_birth == "NL"
    assert head.date_of_birth == dt.date(1978, 4, 23)
    assert head.bsn_hash == bsn_hash(person(1)["bsn"])
    assert bsn_decrypt(head.bsn_encrypted) == person(1)["bsn"]
    household = head.household
    assert household.reference == "H0000001"
    assert household.address.postcode == "2526AB"
    assert household.address.district_code == "WK051828"
    residence = Residence.objects.get(household=household)
    assert (residence.address_id, residence.start_date, residence.end_date) == (
        household.address_id,
        dt.date(2015, 9, 1),
        None,
    )
    assert set(
        household.memberships.values_list("client__client_number", "role", "start_date")
    ) == {
        ("K0000001", HouseholdRole.APPLICANT, REFERENCE_DATE),
        ("K0000002", HouseholdRole.PARTNER, REFERENCE_DATE),
        ("K0000004", HouseholdRole.CHILD, REFERENCE_DATE),
    }
    assert periods(2) == [("gehuwden", dt.date(2016, 1, 1), None, "")]
    assert periods(4) == []
    assert client(3).household.address.house_number_addition == "B"
    # Created with the model's own rules intact (a full_clean would complain otherwise).
    for model in MODELS:
        for obj in model.objects.all():
            obj.full_clean(validate_unique=False, validate_constraints=False)


def test_the_same_file_twice_changes_nothing(run_import):
    run_import(family())
    before, written = counts(), last_write()

    run = run_import(family())

    assert run.status == ImportStatus.APPLIED
    assert (run.new_count, run.changed_count, run.unchanged_count, run.ended_count) == (0, 0, 4, 0)
    assert run.changes == {"new": [], "changed": [], "ended": []}
    assert counts() == before
    assert last_write() == written


def test_nothing_is_written_when_a_row_is_invalid(run_import):
    run_import(family())
    before, written = counts(), last_write()
    rows = family()
    rows[0]["achternaam"] = "Anders"  # a valid change …
    rows[3]["postcode"] = "onbekend"  # … in a file with one bad row

    run = run_import(rows)

    assert run.status == ImportStatus.INVALID
    assert run.error_count == 1
    assert run.errors == [
        {
            "row": 5,
            "column": "postcode",
            "message": (
                "geen geldige postcode; verwacht 4 cijfers en 2 letters, bijvoorbeeld 2526 AB."
            ),
        }
    ]
    assert counts() == before
    assert last_write() == written
    assert client(1).surname == "Berg"


def test_an_invalid_first_file_writes_nothing(run_import):
    rows = [person(n) for n in range(1, 8)] + [person(8, geboortedatum="morgen")]
    run = run_import(rows)
    assert run.status == ImportStatus.INVALID
    assert counts() == dict.fromkeys(counts(), 0)


def test_a_move_closes_the_residence_and_opens_a_new_one(run_import):
    run_import(family())
    old_address = client(1).household.address
    rows = family()
    for row in rows[:3]:
        row.update(
            postcode="2531 AA", huisnummer="40", straat="Vaillantlaan", adres_sinds="2025-01-15"
        )

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert (run.changed_count, run.unchanged_count) == (3, 1)
    assert {c["client_number"]: c["fields"] for c in run.changes["changed"]} == {
        "K0000001": ["adres"],
        "K0000002": ["adres"],
        "K0000004": ["adres"],
    }
    household = client(1).household
    assert household.address.street == "Vaillantlaan"
    history = list(
        household.residences.order_by("start_date").values_list(
            "address_id", "start_date", "end_date"
        )
    )
    assert history == [
        (old_address.pk, dt.date(2015, 9, 1), dt.date(2025, 1, 14)),
        (household.address_id, dt.date(2025, 1, 15), None),
    ]
    assert Address.objects.filter(pk=old_address.pk).exists()  # the dwelling stays


def test_a_name_change(run_import):
    run_import(family())
    rows = family()
    rows[0].update(achternaam="Bergh", tussenvoegsel="", email="f@example.org")

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert run.changes["changed"] == [
        {"client_number": "K0000001", "fields": ["tussenvoegsel", "achternaam", "email"]}
    ]
    head = client(1)
    assert (head.name_prefix, head.surname, head.sort_name, head.email) == (
        "",
        "Bergh",
        "bergh",
        "f@example.org",
    )


def test_a_benefit_ended_in_the_file(run_import):
    run_import(family())
    rows = family()
    rows[3].update(uitkering_einde="2025-02-15", reden_einde="werk")

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert run.changes["changed"] == [
        {"client_number": "K0000003", "fields": ["uitkering_einde", "reden_einde"]}
    ]
    assert run.ended_count == 0
    assert periods(3) == [("alleenstaande", dt.date(2016, 1, 1), dt.date(2025, 2, 15), "werk")]
    # The next delivery still lists the ended benefit: nothing changes.
    assert run_import(rows, reference_date=NEXT_MONTH).changed_count == 0


def test_absent_from_the_file_ends_the_benefit_on_the_reference_date(run_import):
    run_import(family())
    rows = family()[:3]

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert (run.new_count, run.changed_count, run.unchanged_count, run.ended_count) == (0, 0, 3, 1)
    assert run.changes["ended"] == [
        {"client_number": "K0000003", "fields": ["uitkering_einde", "reden_einde"]}
    ]
    assert periods(3) == [
        ("alleenstaande", dt.date(2016, 1, 1), NEXT_MONTH, BenefitEndReason.NOT_DELIVERED)
    ]
    assert client(3).household is not None  # only the benefit ends
    again = run_import(rows, reference_date=NEXT_MONTH)
    assert (again.changed_count, again.ended_count) == (0, 0)


def test_in_the_file_without_a_benefit_ends_the_open_one(run_import):
    run_import(family())
    rows = family()
    rows[3].update(uitkering_soort="", uitkering_ingang="")

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert run.changes["changed"] == [{"client_number": "K0000003", "fields": ["uitkering_einde"]}]
    assert periods(3)[0][2:] == (NEXT_MONTH, BenefitEndReason.NOT_DELIVERED)


def test_re_entry_opens_a_new_benefit_period(run_import):
    rows = family()
    rows[3].update(uitkering_einde="2023-06-30", reden_einde="werk")
    run_import(rows, reference_date=dt.date(2023, 7, 31))
    rows[3].update(uitkering_ingang="2024-11-01", uitkering_einde="", reden_einde="")

    run = run_import(rows, reference_date=REFERENCE_DATE)

    assert run.changes["changed"] == [
        {"client_number": "K0000003", "fields": ["uitkering_soort", "uitkering_ingang"]}
    ]
    assert periods(3) == [
        ("alleenstaande", dt.date(2016, 1, 1), dt.date(2023, 6, 30), "werk"),
        ("alleenstaande", dt.date(2024, 11, 1), None, ""),
    ]


def test_re_entry_after_being_left_out(run_import):
    run_import(family())
    run_import(family()[:3], reference_date=NEXT_MONTH)  # K3 left out: ended
    rows = family()
    rows[3].update(uitkering_ingang="2025-03-15")

    run = run_import(rows, reference_date=dt.date(2025, 3, 31))

    assert run.changed_count == 1
    assert periods(3) == [
        ("alleenstaande", dt.date(2016, 1, 1), NEXT_MONTH, BenefitEndReason.NOT_DELIVERED),
        ("alleenstaande", dt.date(2025, 3, 15), None, ""),
    ]


def test_back_in_the_file_with_the_same_benefit_reopens_it(run_import):
    run_import(family())
    run_import(family()[:3], reference_date=NEXT_MONTH)

    run = run_import(family(), reference_date=dt.date(2025, 3, 31))

    assert run.changes["changed"] == [
        {"client_number": "K0000003", "fields": ["uitkering_einde", "reden_einde"]}
    ]
    assert periods(3) == [("alleenstaande", dt.date(2016, 1, 1), None, "")]


def test_a_new_benefit_type_closes_the_open_period_the_day_before(run_import):
    run_import(family())
    rows = family()
    rows[3].update(uitkering_soort="alleenstaande_ouder", uitkering_ingang="2025-02-01")

    run_import(rows, reference_date=NEXT_MONTH)

    assert periods(3) == [
        ("alleenstaande", dt.date(2016, 1, 1), dt.date(2025, 1, 31), BenefitEndReason.OTHER),
        ("alleenstaande_ouder", dt.date(2025, 2, 1), None, ""),
    ]


def test_an_earlier_start_date_corrects_the_open_period(run_import):
    run_import(family())
    rows = family()
    rows[3].update(uitkering_ingang="2015-06-01")

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert run.changes["changed"] == [{"client_number": "K0000003", "fields": ["uitkering_ingang"]}]
    assert periods(3) == [("alleenstaande", dt.date(2015, 6, 1), None, "")]


def test_a_household_change_closes_the_membership_and_opens_a_new_one(run_import):
    run_import(family())
    rows = family()
    # The partner leaves household 1 and starts household 5 of her own.
    rows[1] = person(2, huishoudnummer="H0000005", huisnummer="77", uitkering_soort="alleenstaande")

    run = run_import(rows, reference_date=NEXT_MONTH)

    changed = {c["client_number"]: c["fields"] for c in run.changes["changed"]}
    # The household column covers the move with it; the benefit type changed on the same start.
    assert changed == {"K0000002": ["huishoudnummer", "uitkering_soort"]}
    partner = client(2)
    assert partner.household.reference == "H0000005"
    assert partner.household.address.house_number == 77
    memberships = list(
        partner.memberships.order_by("start_date").values_list(
            "household__reference", "role", "start_date", "end_date"
        )
    )
    assert memberships == [
        ("H0000001", HouseholdRole.PARTNER, REFERENCE_DATE, NEXT_MONTH - dt.timedelta(days=1)),
        ("H0000005", HouseholdRole.APPLICANT, NEXT_MONTH, None),
    ]
    assert set(client(1).household.current_members.values_list("client_number", flat=True)) == {
        "K0000001",
        "K0000004",
    }


def test_a_role_change_within_the_household(run_import):
    run_import(family())
    rows = family()
    rows[2]["rol"] = "overig"  # the child came of age

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert run.changes["changed"] == [{"client_number": "K0000004", "fields": ["rol"]}]
    membership = HouseholdMembership.objects.get(client=client(4))
    assert (membership.role, membership.start_date, membership.end_date) == (
        "overig",
        REFERENCE_DATE,
        None,
    )


def test_a_changed_neighbourhood_updates_the_address_in_place(run_import):
    run_import(family())
    rows = family()
    for row in rows[:3]:
        row.update(buurtcode="BU05182802", buurtnaam="Schilderswijk-Oost")

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert {tuple(c["fields"]) for c in run.changes["changed"]} == {("buurtcode", "buurtnaam")}
    assert Residence.objects.count() == 2
    assert client(1).household.address.neighbourhood_name == "Schilderswijk-Oost"


def test_a_corrected_bsn_is_found_by_client_number(run_import):
    run_import(family())
    rows = family()
    rows[3]["bsn"] = person(30)["bsn"]

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert run.changes["changed"] == [{"client_number": "K0000003", "fields": ["bsn"]}]
    assert client(3).bsn_hash == bsn_hash(person(30)["bsn"])
    assert Client.objects.count() == 4


def test_a_new_client_number_for_a_known_bsn(run_import):
    run_import(family())
    rows = family()
    rows[3]["klantnummer"] = "K9999999"

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert run.changes["changed"] == [{"client_number": "K9999999", "fields": ["klantnummer"]}]
    assert Client.objects.filter(
        client_number="K9999999", bsn_hash=bsn_hash(person(3)["bsn"])
    ).exists()


def test_a_client_number_of_another_client_is_refused(run_import):
    run_import(family())
    rows = family()
    rows[3]["klantnummer"] = "K0000002"  # K2 is somebody else
    rows[1]["klantnummer"] = "K0000022"

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert run.status == ImportStatus.INVALID
    assert run.errors == [
        {
            "row": 5,
            "column": "klantnummer",
            "message": "dit klantnummer is in Meedoen al van een andere cliënt.",
        }
    ]
    assert client(3).client_number == "K0000003"


def test_a_bsn_change_that_collides_with_another_row_is_refused(run_import):
    run_import(family())
    rows = family()
    # Row 5 gives K3 the BSN of nobody; row 6 brings K3's old BSN under a new number.
    rows[3]["bsn"] = person(30)["bsn"]
    rows.append(person(31, bsn=person(3)["bsn"], huisnummer="31"))

    run = run_import(rows, reference_date=NEXT_MONTH)

    assert run.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in run.errors] == [(6, "bsn")]
    assert "rij 5" in run.errors[0]["message"]


def test_clients_of_another_municipality_are_left_alone(
    run_import, municipality, other_municipality
):
    run_import(family())
    other = run_import([person(9)], target=other_municipality)

    assert other.status == ImportStatus.APPLIED
    assert (other.new_count, other.ended_count) == (1, 0)
    assert periods(3)[0][2] is None
    # Same person (BSN) in both municipalities: two separate clients.
    run_import([person(1, huisnummer="1")], target=other_municipality, reference_date=NEXT_MONTH)
    assert Client.objects.filter(bsn_hash=bsn_hash(person(1)["bsn"])).count() == 2


def test_an_older_delivery_than_the_last_applied_one_is_refused(run_import):
    run_import(family(), reference_date=NEXT_MONTH)
    run = run_import(family(), reference_date=REFERENCE_DATE)
    assert run.status == ImportStatus.INVALID
    assert run.errors[0]["row"] == 0
    assert (
        "ligt voor de peildatum van de laatst toegepaste levering (28-02-2025)"
        in run.errors[0]["message"]
    )


def test_the_run_is_recorded(run_import, functional_admin):
    content = csv_bytes(family())
    seen = []
    run = run_import(
        content,
        actor=functional_admin,
        file_name="mei.csv",
        progress=lambda d, t: seen.append((d, t)),
    )
    run.refresh_from_db()

    assert run.status == ImportStatus.APPLIED
    assert run.file_name == "mei.csv"
    assert run.file_size == len(content)
    assert len(run.checksum) == 64
    assert run.reference_date == REFERENCE_DATE
    assert (run.uploaded_by, run.uploaded_by_name) == (
        functional_admin,
        functional_admin.display_name,
    )
    assert (run.applied_by, run.applied_by_name) == (
        functional_admin,
        functional_admin.display_name,
    )
    assert (run.rows_total, run.rows_done, run.error_count) == (4, 4, 0)
    assert run.analysed_at
    assert run.apply_started_at
    assert run.applied_at
    assert run.content is None  # the file (with BSNs) is not kept
    assert seen[-1] == (4, 4)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_name"))
    assert actions == [
        ("dataexchange.import.upload", "beheerder"),
        ("dataexchange.import.apply", "beheerder"),
    ]
    apply_event = AuditEvent.objects.get(action="dataexchange.import.apply")
    assert apply_event.object_id == str(run.pk)
    assert apply_event.detail["new"] == 4
    assert person(1)["bsn"] not in str(apply_event.detail)


def test_a_dry_run_keeps_the_file_sealed_and_can_be_applied_later(run_import, functional_admin):
    content = csv_bytes(family())
    run = run_import(content, dry_run=True)

    assert run.status == ImportStatus.READY
    assert run.new_count == 4
    assert counts()["Client"] == 0
    stored = bytes(ImportRun.objects.get(pk=run.pk).content)
    assert person(1)["bsn"].encode() not in stored
    assert services.import_run_content(run=run) == content

    run = services.import_run_apply(run=run, actor=functional_admin, origin=Origin(channel="test"))

    assert run.status == ImportStatus.APPLIED
    assert counts()["Client"] == 4
    assert ImportRun.objects.get(pk=run.pk).content is None
    with pytest.raises(services.ImportRunStateError):
        services.import_run_apply(run=run, actor=functional_admin, origin=Origin(channel="test"))


def test_a_ready_run_can_be_discarded(run_import, functional_admin):
    run = run_import(family(), dry_run=True)
    run = services.import_run_discard(
        run=run, actor=functional_admin, origin=Origin(channel="test")
    )
    assert run.status == ImportStatus.DISCARDED
    assert ImportRun.objects.get(pk=run.pk).content is None
    with pytest.raises(services.ImportRunStateError):
        services.import_run_apply(run=run, actor=functional_admin, origin=Origin(channel="test"))


def test_an_unexpected_error_fails_the_run_and_writes_nothing(run_import, monkeypatch, caplog):
    def broken(self, steps):
        raise RuntimeError("disk on fire " + person(1)["bsn"])

    monkeypatch.setattr(bulk.BulkWriter, "write_steps", broken)
    run = run_import(family())

    assert run.status == ImportStatus.FAILED
    assert ImportRun.objects.get(pk=run.pk).failure == "RuntimeError"
    assert counts()["Client"] == 0
    assert person(1)["bsn"] not in caplog.text  # the message is not logged, only the type


def test_an_unreadable_file_is_invalid(run_import):
    run = run_import(b"\x00\x01\x02", file_name="foto.csv")
    assert run.status == ImportStatus.INVALID
    assert run.errors == [
        {"row": 0, "column": "", "message": "Het bestand is geen CSV- of XLSX-bestand."}
    ]


def test_many_rows_across_chunks(run_import, monkeypatch):
    """Chunks of 7 rows: households, duplicates and the writer thread cross chunk borders."""
    monkeypatch.setattr(services, "FIRST_CHUNK_ROWS", 3)
    monkeypatch.setattr(services, "CHUNK_ROWS", 7)
    rows = []
    for n in range(1, 61, 3):
        head = person(n)
        rows += [member(n + 1, head, role="partner"), head, member(n + 2, head)]
    run = run_import(rows)
    assert run.status == ImportStatus.APPLIED, run.errors
    assert (run.new_count, counts()["Household"], counts()["HouseholdMembership"]) == (60, 20, 60)
    rows[-1] = person(1, huishoudnummer="H9")  # a duplicate in the last chunk
    assert run_import(rows).status == ImportStatus.INVALID
    assert counts()["Client"] == 60


def test_the_check_shows_its_progress_on_the_run(run_import, monkeypatch):
    monkeypatch.setattr(services, "FIRST_CHUNK_ROWS", 2)
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    seen = []

    def progress(done, total):
        run = ImportRun.objects.get()
        seen.append((done, total, run.status, run.rows_done))

    run_import([person(n) for n in range(1, 6)], dry_run=True, progress=progress)

    assert [s[:2] for s in seen] == [(2, 5), (4, 5), (5, 5), (5, 5)]
    assert {s[2] for s in seen} == {ImportStatus.ANALYSING}
    assert [s[3] for s in seen][1:] == [2, 4, 5]  # what the web page shows meanwhile
