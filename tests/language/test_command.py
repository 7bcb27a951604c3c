"""``rathaus language check``: findings with file, line and column, figures, exit status,
JSON, and clear German messages for files it cannot read."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("language", "check", *args, stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def test_findings_are_listed_with_position_and_the_status_says_so(tmp_path):
    text = tmp_path / "hundesteuer.txt"
    text.write_text("Sie zahlen Hunde-Steuer.\nSie könnten auch online zahlen.\n")
    status, out = run(str(text))
    assert status == 1
    assert f"{text}:2:5: [konjunktiv] Möglichkeitsform „könnten“" in out
    assert "1 Hinweis; 2 Sätze, 8 Wörter; Wiener Sachtextformel" in out


def test_a_clean_text_exits_with_zero(tmp_path):
    text = tmp_path / "gut.txt"
    text.write_text("Sie zahlen Hunde-Steuer.\nDas Amt schickt Ihnen einen Brief.\n")
    status, out = run(str(text))
    assert status == 0 and "keine Hinweise" in out


def test_json_for_scripts(tmp_path):
    one, two = tmp_path / "a.txt", tmp_path / "b.txt"
    one.write_text("Das ist z. B. gut.")
    two.write_text("Das ist gut.")
    status, out = run(str(one), str(two), "--json")
    report = json.loads(out)
    assert status == 1
    assert [entry["file"] for entry in report] == [str(one), str(two)]
    (finding,) = report[0]["findings"]
    assert finding["rule"] == "abkuerzung" and finding["line"] == 1 and finding["column"] == 9
    assert report[1]["findings"] == [] and report[1]["readability"]["words"] == 3


def test_files_it_cannot_read_get_a_message_that_says_what_to_do(tmp_path):
    with pytest.raises(CommandError, match=r"nicht lesbar .* Prüfen Sie den Pfad"):
        run(str(tmp_path / "fehlt.txt"))
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Straße".encode("latin-1"))
    with pytest.raises(CommandError, match=r"keine UTF-8-Textdatei .* Speichern Sie den Text"):
        run(str(latin))
    big = tmp_path / "gross.txt"
    big.write_bytes(b"a" * 2_000_001)
    with pytest.raises(CommandError, match="größer als 2 MB"):
        run(str(big))


def test_the_rathaus_command_reads_stdin_and_sets_the_exit_status():
    answer = subprocess.run(
        [sys.executable, "-m", "rathaus.cli", "language", "check", "-"],
        input=b"Wir helfen Ihnen nicht.",
        capture_output=True,
        check=False,
    )
    assert answer.returncode == 1
    assert "-:1:18: [verneinung]" in answer.stdout.decode()
