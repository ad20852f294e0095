"""`meedoen effect`: JSON or a Dutch summary; bad input is a message and exit code 2."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from meedoen.effects.synthetic import CSV_COVARIATES, make_synthetic


@pytest.fixture(scope="module")
def csv_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("effect") / "data.csv"
    path.write_text(make_synthetic(800, seed=6).to_csv(delimiter=";"), encoding="utf-8")
    return path


def _args(csv_path, *extra):
    return [
        "effect",
        "--csv",
        str(csv_path),
        "--treatment",
        "deelname",
        "--outcome",
        "uitkomst",
        "--covariates",
        ",".join(CSV_COVARIATES),
        "--bootstrap",
        "50",
        *extra,
    ]


def test_json_output_and_determinism(csv_path):
    outputs = []
    for _ in range(2):
        out = StringIO()
        call_command(
            *_args(csv_path, "--json", "--seed", "3", "--placebo-outcome", "voormeting"), stdout=out
        )
        outputs.append(json.loads(out.getvalue()))
    assert outputs[0] == outputs[1]
    assert {"matching", "ipw", "aipw", "placebo", "verdict"} <= set(outputs[0])


def test_summary_in_dutch(csv_path):
    out = StringIO()
    call_command(*_args(csv_path, "--method", "ipw"), stdout=out)
    text = out.getvalue()
    assert "Weging (inverse kansgewichten)" in text
    assert "Ruw verschil zonder correctie" in text
    assert "Oordeel:" in text
    assert "Dit is geen experiment" in text


def test_bad_input_raises_command_error_with_code_2(csv_path):
    with pytest.raises(CommandError) as caught:
        call_command(*_args(csv_path, "--treatment", "trede", "--covariates", "zrm"))
    assert caught.value.returncode == 2
    assert "moet 0 of 1 zijn" in str(caught.value)


def test_console_exit_code_and_no_traceback(csv_path, capsys):
    # As the console runs it (run_from_argv): the message on stderr, exit code 2, no traceback.
    utility = ManagementUtility(["meedoen", *_args(csv_path, "--outcome", "bestaatniet")])
    with pytest.raises(SystemExit) as exited:
        utility.execute()
    assert exited.value.code == 2
    stderr = capsys.readouterr().err
    assert "'bestaatniet' ontbreekt" in stderr
    assert "Traceback" not in stderr
