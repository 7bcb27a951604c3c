"""Where the browser tests find Chromium and axe-core."""

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


def missing_browser_requirements() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} fehlt (Debian: apt-get install chromium)")
    if not AXE.exists():
        missing.append(f"{AXE} fehlt (npm ci)")
    return missing
