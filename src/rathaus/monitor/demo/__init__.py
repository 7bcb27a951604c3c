"""The monitor's demo: the paper assumptions of the green-IT account, the committee's
targets (a demo decision), the Wi-Fi register's places and the first reading of each share.
The figures themselves come from the other modules' demo data, as they would from real
cases."""

import json
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from ..models import PaperAssumption, Target
from ..services import take_readings
from . import wifi

ASSUMPTIONS = Path(__file__).with_name("assumptions.json")
DECISION = "Demo: Beschluss des Ausschusses für Digitalisierung und Netzpolitik vom 12.03.2026"
# Figure → (target, year): what the committee wants by 2030 (shares in per cent).
TARGETS = {
    "leistungen-online": (90, 2030),
    "antraege": (80, 2030),
    "bescheide": (75, 2030),
    "termine": (70, 2030),
    "buchungen": (85, 2030),
    "kita-anmeldungen": (95, 2030),
    "wlan": (100, 2030),
}


def load(*, scale: int = 1, log) -> None:
    entries = json.loads(ASSUMPTIONS.read_text(encoding="utf-8"))
    for entry in entries:
        PaperAssumption.objects.update_or_create(
            tally=entry.pop("tally"), service=entry.pop("service"), defaults=entry
        )
    for figure, (value, year) in TARGETS.items():
        Target.objects.update_or_create(
            figure=figure, defaults={"value": Decimal(value), "year": year, "basis": DECISION}
        )
    places = wifi.load(timezone.localdate(), scale=scale)
    take_readings()
    log(
        f"  Digitalmonitor: {len(entries)} Papier-Annahmen, {len(TARGETS)} Ziele, "
        f"{places} WLAN-Orte"
    )
