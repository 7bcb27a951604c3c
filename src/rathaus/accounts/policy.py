"""Who may do what: the one place where staff permissions are decided.

Views, the back office and the API ask ``can(user, action, office)`` or call
``require(...)``. A permission is a role; an office-scoped permission also needs
the staff member to belong to that office. Residents have no staff permissions;
what is theirs is decided by ownership in each module's queries.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .models import OfficeMembership, Role, StaffRole

__all__ = [
    "ACTIONS",
    "can",
    "office_ids",
    "offices_for",
    "register_scope",
    "require",
    "roles",
    "scope_ids",
    "staff_required",
]

# action → roles that may do it. Office-scoped actions also need membership of the office.
ACTIONS: dict[str, set[str]] = {
    "catalog.edit": {Role.CATALOGUE_EDITOR, Role.ADMINISTRATOR},
    "offices.edit": {Role.ADMINISTRATOR, Role.CATALOGUE_EDITOR},
    "staff.manage": {Role.ADMINISTRATOR},
    "audit.view": {Role.ADMINISTRATOR, Role.DATA_STEWARD},
    "data.steward": {Role.DATA_STEWARD, Role.ADMINISTRATOR},
    "residents.assist": {Role.CASEWORKER, Role.TEAM_LEAD},
    "cases.view": {Role.CASEWORKER, Role.TEAM_LEAD},
    "cases.process": {Role.CASEWORKER, Role.TEAM_LEAD},
    "cases.assign": {Role.TEAM_LEAD},
    "appointments.manage": {Role.CASEWORKER, Role.TEAM_LEAD},
    "appointments.close_day": {Role.TEAM_LEAD},
    # Provider-scoped: also needs membership of the provider (``scope_ids(…, "provider")``).
    "programs.manage": {Role.PROGRAM_MANAGER},
    # Book offers for a caller or a visitor at the counter (any provider's offers).
    "programs.assist": {Role.CASEWORKER, Role.TEAM_LEAD, Role.PROGRAM_MANAGER},
    # Provider-scoped (``scope_ids(…, "kita_provider")``): their Kitas and assigned children.
    "kita.manage": {Role.KITA_MANAGER},
    # The youth office: run rounds, see every registration, register for families.
    "kita.allocate": {Role.KITA_PLANNER},
    "kita.assist": {Role.KITA_PLANNER, Role.CASEWORKER, Role.TEAM_LEAD},
    # Office-scoped: the records of the algorithms an office answers for.
    "register.edit": {Role.DATA_STEWARD, Role.ADMINISTRATOR},
    # The progress monitor: the committee's targets, the green-IT account's assumptions.
    "monitor.edit": {Role.DATA_STEWARD, Role.ADMINISTRATOR},
    # Office-scoped (the office of the council's body): meetings, agendas, papers, members.
    "council.edit": {Role.COUNCIL_OFFICE, Role.ADMINISTRATOR},
    # Office-scoped (the office that owns a process): processes, responses, moderation.
    "participation.manage": {Role.PARTICIPATION_OFFICE, Role.ADMINISTRATOR},
}

# Scopes other than offices (a programme provider, a Kita's Träger): the module that owns
# the membership registers how to read it, so the decision stays here.
_scopes: dict[str, Callable[[Any], Iterable[int]]] = {}


def register_scope(name: str, members: Callable[[Any], Iterable[int]]) -> None:
    """``members(user)`` returns the ids of the ``name`` units ``user`` belongs to."""
    _scopes[name] = members


def scope_ids(user: Any, action: str, scope: str) -> frozenset[int]:
    """The units of ``scope`` in which ``user`` may do ``action`` (empty without the role)."""
    if not roles(user) & ACTIONS[action]:
        return frozenset()
    cache = user.__dict__.setdefault("_rathaus_scopes", {})
    if scope not in cache:
        cache[scope] = frozenset(_scopes[scope](user))
    return cache[scope]


def roles(user: Any) -> frozenset[str]:
    """The staff roles of ``user``, cached on the object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff or not user.is_active:
        return frozenset()
    cached = getattr(user, "_rathaus_roles", None)
    if cached is None:
        cached = frozenset(StaffRole.objects.filter(user=user).values_list("role", flat=True))
        user._rathaus_roles = cached
    return cached


def office_ids(user: Any) -> frozenset[int]:
    """The offices a staff member works for."""
    if not roles(user):
        return frozenset()
    cached = getattr(user, "_rathaus_offices", None)
    if cached is None:
        cached = frozenset(
            OfficeMembership.objects.filter(user=user).values_list("office_id", flat=True)
        )
        user._rathaus_offices = cached
    return cached


def can(user: Any, action: str, office: Any = None) -> bool:
    """May ``user`` do ``action`` (for ``office``, if the action is about one office)?"""
    allowed = ACTIONS[action]
    if not roles(user) & allowed:
        return False
    if office is None:
        return True
    office_id = getattr(office, "pk", office)
    return office_id in office_ids(user)


def require(user: Any, action: str, office: Any = None) -> None:
    if not can(user, action, office):
        raise PermissionDenied(action)


def offices_for(user: Any, action: str) -> Iterable[int]:
    """The offices in which ``user`` may do ``action`` (empty without the role)."""
    return office_ids(user) if roles(user) & ACTIONS[action] else frozenset()


def staff_required(action: str) -> Callable:
    """View decorator: staff with the role for ``action``; others go to the staff sign-in (403
    when signed in without the role)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated or not request.user.is_staff:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:staff_signin')}?{query}")
            require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
