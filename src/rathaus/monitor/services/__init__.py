"""The monitor's operations: the figures (``progress``), the green-IT account (``green``)
and what staff change (``targets``)."""

from . import green
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
]
