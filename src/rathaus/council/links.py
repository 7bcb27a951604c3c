"""Links from a council paper to the participation that led to it or followed from it.

The participation module (issue 16, next slice) registers one function here; the council
module does not import it, so the dependency points from participation to the council.
Until it registers, a paper has no such links.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Paper

__all__ = ["Link", "for_paper", "register"]


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    relation: str  # e.g. "Aus dieser Beteiligung entstanden"


_providers: list[Callable[[Paper], list[Link]]] = []


def register(provider: Callable[[Paper], list[Link]]) -> None:
    _providers.append(provider)


def for_paper(paper: Paper) -> list[Link]:
    return [link for provider in _providers for link in provider(paper)]
