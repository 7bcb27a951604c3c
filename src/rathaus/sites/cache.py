"""The page cache: a published page, as an anonymous visitor sees it, served without
routing, querying or rendering, and purged precisely when something it shows changes.

Rendering a page collects *tags* of everything it shows: the page (``page:12``), the titles
and addresses of its breadcrumb (``label:3``), its site's navigation (``menu:3``), the list of
its children (``list:12``), the newest news of a home page (``news:3``), the site's profile
(``site:2``), and what other modules own (``service:7``, ``office:4``, ``offers:9``,
``image:5``, ``document:6``). The stored page remembers each tag's version; publishing or
changing a thing gives its tag a new version (``purge``), and every page that showed it is
stale from that moment – on every server process: the versions live in the ``pages`` cache,
Redis (with ``REDIS_URL``) or else a folder every process of the host shares. Keys belong to
one database (tests run several side by side). While Redis is unreachable each process falls
back to its own memory (core/cache.py), so a page may then stay stale for ``TIMEOUT`` at most.

Only anonymous ``GET`` requests without pending messages are served from the cache (the
only per-visitor parts of such a page, the CSRF tokens of the language and Leichte-Sprache
forms, are put in fresh), only pages without view restrictions are stored, and only
addresses without a query string or with a page number: random query strings cannot fill it.
"""

import functools
import hashlib
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from rathaus.language.services import easy_language_wanted

KEY_PREFIX = "sites:page:"
TAG_PREFIX = "sites:tag:"
LABEL_PREFIX = "sites:label:"
# Without a purge a stored page lives an hour; a page listing upcoming offers five minutes
# (an offer that has begun drops off the list by time, not by a change).
TIMEOUT = 3600
SHORT_TIMEOUT = 5 * 60
EVERYTHING = "all"  # carried by every stored page: a deploy (migrate) or a restriction empties all
HEADER = "X-Page-Cache"
_CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = "\x00csrf\x00"
_PAGE_NUMBER = re.compile(r"seite=\d{1,4}")


@dataclass
class Collected:
    tags: set[str] = field(default_factory=set)
    timeout: int = TIMEOUT
    storable: bool = True
    started: int = field(default_factory=time.time_ns)


_collecting: ContextVar[Collected | None] = ContextVar("sites_page_cache", default=None)


def depends_on(*tags: str, timeout: int | None = None) -> None:
    """Called while a page renders: it shows these things (no-op outside the page cache)."""
    if (collected := _collecting.get()) is not None:
        collected.tags.update(tags)
        if timeout is not None:
            collected.timeout = min(collected.timeout, timeout)


def do_not_store() -> None:
    """The page being rendered is not for everyone (a view restriction was passed)."""
    if (collected := _collecting.get()) is not None:
        collected.storable = False


def _cache():
    return caches["pages"]


def _scope() -> str:
    """The database the pages come from: caches of two databases never mix."""
    return _scope_of(str(connection.settings_dict["NAME"]))


@functools.cache
def _scope_of(database: str) -> str:
    return hashlib.sha256(database.encode()).hexdigest()[:12] + ":"


def _tag_key(tag: str) -> str:
    return TAG_PREFIX + _scope() + tag


def applies_to(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return (
        request.method == "GET"
        and (not query or _PAGE_NUMBER.fullmatch(query) is not None)
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def _key(request: HttpRequest) -> str:
    easy = "1" if easy_language_wanted(request) else "0"
    address = f"{request.get_host()}|{request.get_full_path()}|{translation.get_language()}|{easy}"
    return KEY_PREFIX + _scope() + hashlib.sha256(address.encode()).hexdigest()


def lookup(request: HttpRequest) -> HttpResponse | None:
    """The stored page, if every tag it carries still has the version it was rendered with."""
    entry = _cache().get(_key(request))
    if entry is None:
        return None
    keys = {_tag_key(tag): version for tag, version in entry["tags"].items()}
    current = _cache().get_many(list(keys))
    if any(current.get(key) != version for key, version in keys.items()):
        return None
    body = entry["body"].replace(_CSRF_PLACEHOLDER, get_token(request))
    response = HttpResponse(body, content_type=entry["content_type"])
    response[HEADER] = "hit"
    return response


@contextmanager
def collecting() -> Iterator[Collected]:
    collected = Collected(tags={EVERYTHING})
    token = _collecting.set(collected)
    try:
        yield collected
    finally:
        _collecting.reset(token)


def store(request: HttpRequest, response: HttpResponse, collected: Collected) -> None:
    """Keep a rendered page (only a page of a site: it tagged itself ``page:…``)."""
    response[HEADER] = "miss"
    if (
        response.status_code != 200
        or not collected.storable
        or not any(tag.startswith("page:") for tag in collected.tags)
        or response.cookies
    ):
        return
    keys = {_tag_key(tag): tag for tag in collected.tags}
    versions = _cache().get_many(list(keys))
    if any(_stamp(version) >= collected.started for version in versions.values()):
        return  # purged while it rendered: what it read may be the old content
    if missing := {key: _new_version() for key in keys if key not in versions}:
        _cache().set_many(missing, timeout=None)
        versions |= missing
    body = _CSRF_FIELD.sub(rf"\g<1>{_CSRF_PLACEHOLDER}\g<2>", response.content.decode())
    entry = {
        "body": body,
        "content_type": response["Content-Type"],
        "tags": {tag: versions[key] for key, tag in keys.items()},
    }
    _cache().set(_key(request), entry, timeout=collected.timeout)


def purge(*tags: str) -> None:
    """Every stored page that shows one of these things is stale from now on, and again
    when the transaction commits: a page rendered meanwhile read the old content."""
    _bump(tags)
    transaction.on_commit(lambda: _bump(tags))


def forget_everything() -> None:
    """Every stored page of this database is stale (outside of any transaction)."""
    _bump([EVERYTHING])


def _bump(tags) -> None:
    _cache().set_many({_tag_key(tag): _new_version() for tag in tags}, timeout=None)


def label_changed(page_id: int, label: tuple) -> bool:
    """Whether a page's title, address, menu flag or live state differ from the last time
    it was published (unknown counts as changed): only then its breadcrumbs and menus go."""
    key = f"{LABEL_PREFIX}{_scope()}{page_id}"
    if _cache().get(key) == label:
        return False
    _cache().set(key, label, timeout=None)
    return True


def _new_version() -> str:
    """When it was made (to tell a purge during a render) and a random part (two hosts)."""
    return f"{time.time_ns()}-{secrets.token_hex(4)}"


def _stamp(version: object) -> int:
    try:
        return int(str(version).partition("-")[0])
    except ValueError:
        return 0
