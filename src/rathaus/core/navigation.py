"""Links modules add to shared menus: the main navigation, "Mein Konto", the staff menu and
the footer (registers and figures anyone may read).

Modules register in their AppConfig.ready(); the templates of ``core`` and ``accounts``
show the links without importing those modules, so dependencies keep pointing one way.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ACCOUNT", "FOOTER", "MAIN", "STAFF", "Section", "register", "sections"]

MAIN = "main"
ACCOUNT = "account"
STAFF = "staff"
FOOTER = "footer"


@dataclass(frozen=True)
class Section:
    key: str
    title: Any  # a lazy translation
    url_name: str
    order: int = 50
    # Who sees the link (e.g. staff with a role); everyone when ``None``.
    visible: Callable[[Any], bool] | None = None


_menus: dict[str, dict[str, Section]] = {MAIN: {}, ACCOUNT: {}, STAFF: {}, FOOTER: {}}


def register(menu: str, section: Section) -> None:
    _menus[menu][section.key] = section


def sections(menu: str, user: Any = None) -> list[Section]:
    """The links of ``menu`` that ``user`` may see, in order."""
    shown = [s for s in _menus[menu].values() if s.visible is None or s.visible(user)]
    return sorted(shown, key=lambda s: (s.order, s.key))
