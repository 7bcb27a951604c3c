"""What several test folders share: the demo city, and where Chromium and axe-core are."""

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


def load_demo_city() -> None:
    """Every module's demo data, in INSTALLED_APPS order, as ``rathaus demo`` loads it."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if loader := getattr(config, "load_demo", None):
            loader(scale=1, log=lambda *_: None)
