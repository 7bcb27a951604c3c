"""Operations on offices that other modules need to hear about.

When the opening hours of an office change, modules that plan with them (appointments)
must recompute. They register a listener in their AppConfig.ready(); the back office
calls ``hours_changed`` after saving. An explicit list, not a signal: a reader finds
every listener by searching for ``on_hours_changed``.
"""

from collections.abc import Callable

from .models import Office

__all__ = ["hours_changed", "on_hours_changed"]

_listeners: list[Callable[[Office], None]] = []


def on_hours_changed(listener: Callable[[Office], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def hours_changed(office: Office) -> None:
    for listener in _listeners:
        listener(office)
