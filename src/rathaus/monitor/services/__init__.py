"""The monitor's operations: the figures (``progress``), the green-IT account (``green``),
the Wi-Fi register (``wifi``) and what staff change (``targets``)."""

from . import green, wifi
from .progress import (
    PAPER,
    Figure,
    Point,
    cached_figures,
    figures,
    forget_figures,
    month_starts,
    take_readings,
)
from .targets import save_assumption, set_target

__all__ = [
    "PAPER",
    "Figure",
    "Point",
    "cached_figures",
    "figures",
    "forget_figures",
    "green",
    "month_starts",
    "save_assumption",
    "set_target",
    "take_readings",
    "wifi",
]
