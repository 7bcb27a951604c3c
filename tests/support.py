"""What several test folders share: the demo city, and where Chromium and axe-core are."""

import os
from email import message_from_bytes, policy
from email.message import EmailMessage
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


def mails(mail_dir: Path) -> list[EmailMessage]:
    """The e-mails the file backend wrote to ``mail_dir``, oldest first."""
    if not mail_dir.exists():
        return []
    messages = []
    for path in sorted(mail_dir.iterdir(), key=lambda p: p.stat().st_mtime_ns):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(message_from_bytes(chunk, policy=policy.default))
    return messages
