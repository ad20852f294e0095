"""meedoen import_clients FILE [--dry-run] [--municipality CODE] [--reference-date YYYY-MM-DD]"""

from __future__ import annotations

import io

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections

from meedoen.accounts.models import Municipality
from meedoen.clients.models import Client
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.models import ImportRun
from meedoen.dataexchange.tests.delivery import csv_bytes, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery_file(tmp_path):
    path = tmp_path / "levering.csv"
    path.write_bytes(csv_bytes([person(1), person(2), person(3)]))
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_clients", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_checks_and_writes_nothing(delivery_file, municipality):
    out, err = run(str(delivery_file), "--dry-run", "--reference-date", "2025-01-31")

    assert "3 regels: 3 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 uitkeringen beëindigd." in out
    assert "Proefrun: niets opgeslagen." in out
    assert "] 100% 3/3" in err  # the progress bar
    assert not Client.objects.exists()
    assert ImportRun.objects.get().status == ImportStatus.READY


def test_apply_then_again(delivery_file, municipality):
    out, _ = run(str(delivery_file), "--reference-date", "2025-01-31")
    assert "3 nieuw" in out
    assert "Toegepast" in out
    assert Client.objects.filter(municipality=municipality).count() == 3

    out, _ = run(str(delivery_file), "--reference-date", "2025-01-31")
    assert "0 nieuw, 0 gewijzigd, 3 ongewijzigd" in out


def test_an_invalid_file_exits_non_zero_with_the_row_messages(
    tmp_path, municipality, capsys, monkeypatch
):
    # As on the command line; but keep the test's connection open (run_from_argv closes it).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = tmp_path / "fout.csv"
    path.write_bytes(csv_bytes([person(1), person(2, bsn="123456789", postcode="?")]))

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(
            ["meedoen", "import_clients", str(path), "--municipality", "0518"]
        ).execute()

    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Rij 3, kolom bsn: geen geldig BSN" in err
    assert "Rij 3, kolom postcode: geen geldige postcode" in err
    assert "Bestand afgekeurd: 2 fouten. Er is niets opgeslagen." in err
    assert "123456789" not in err
    assert not Client.objects.exists()


def test_the_default_municipality_is_created_when_missing(delivery_file, settings):
    settings.DEFAULT_MUNICIPALITY_CODE = "0518"
    _, err = run(str(delivery_file), "--reference-date", "2025-01-31")
    assert "Gemeente 0518 ('s-Gravenhage) aangemaakt." in err
    assert Municipality.objects.get(code="0518").clients.count() == 3


def test_another_unknown_municipality_is_refused(delivery_file, municipality):
    with pytest.raises(CommandError, match="Gemeente 0363 bestaat niet"):
        run(str(delivery_file), "--municipality", "0363")
    assert not Municipality.objects.filter(code="0363").exists()


def test_another_existing_municipality(delivery_file, other_municipality):
    run(str(delivery_file), "--municipality", "0599", "--reference-date", "2025-01-31")
    assert other_municipality.clients.count() == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reference-date", "31-01-2025"], "De peildatum moet de vorm JJJJ-MM-DD hebben."),
        (["--reference-date", "2999-01-01"], "De peildatum mag niet in de toekomst liggen."),
    ],
)
def test_bad_reference_dates(delivery_file, municipality, args, message):
    with pytest.raises(CommandError, match=message):
        run(str(delivery_file), *args)


def test_a_missing_file(tmp_path, municipality):
    with pytest.raises(CommandError, match=r"Kan .* niet lezen"):
        run(str(tmp_path / "weg.csv"))
