"""The participation module's public surface: processes and phases, comments, proposals,
moderation, the office's responses, budgets and surveys. Other modules import from here
only."""

from . import budgets, comments, moderation, notices, proposals, responses, surveys
from .processes import NotAllowed, may_manage, overview, require_open, visible, visible_to

__all__ = [
    "NotAllowed",
    "budgets",
    "comments",
    "may_manage",
    "moderation",
    "notices",
    "overview",
    "proposals",
    "require_open",
    "responses",
    "surveys",
    "visible",
    "visible_to",
]
