"""Without Chromium the browser tests are named and left out; in CI that is a failure."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_browser_tests(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/browser", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env={**os.environ, "CHROMIUM": "/gibt/es/nicht/chromium", "CI": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_chromium_the_run_says_which_tests_did_not_run_and_why():
    result = run_browser_tests()
    assert "Nicht ausgeführte Browser-Tests" in result.stdout
    assert "/gibt/es/nicht/chromium fehlt" in result.stdout
    assert "nicht ausgeführt: tests/browser/test_keyboard.py::" in result.stdout
    assert "failed" not in result.stdout


def test_in_ci_a_missing_browser_fails_the_run():
    result = run_browser_tests(CI="true")
    assert result.returncode != 0
    assert "Browser-Tests können in CI nicht laufen" in result.stdout + result.stderr
