"""Business operations of the homepages: setting up a site with its editors and reviewers,
the rules for going live, and what every page shows from the other modules."""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.views import serve

from rathaus.programs.services import search as offer_search

from . import accessibility, translation
from . import cache as page_cache
from .models import HomePage, ReviewTask, SitePage, SiteProfile
from .search import ranked_pages

HOSTS_CACHE_KEY = "sites:institution-hosts"
# German letters in page addresses as German writes them without umlauts.
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
REVIEWER_PAGE_PERMISSIONS = ("change_page", "lock_page", "unlock_page")
MEDIA_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}


@dataclass(frozen=True)
class SiteSetup:
    site: Site
    root: HomePage
    editors: Group
    reviewers: Group


def _roots() -> tuple[Page, Collection]:
    """The roots of the page tree and of the media collections, and the locales of the
    languages pages are translated into (German first, the default).

    Migrations create them; a test database emptied between tests (and a city that starts
    from a dump without them) lacks them, so they are made here when missing."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    media = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return root, media


@transaction.atomic
def create_site(
    *,
    name: str,
    short_name: str,
    hostname: str,
    slug: str,
    home_title: str,
    accent: str = "#004b87",
    port: int = 80,
    is_default: bool = False,
    office=None,
    provider=None,
    tagline: str = "",
) -> SiteSetup:
    """A site with its home page, profile, media collection, editors, reviewers and the
    four-eyes workflow; editors of one site have no rights on another."""
    root, media_root = _roots()
    home = root.add_child(instance=HomePage(title=home_title, slug=slug, live=False))
    site = Site.objects.create(
        hostname=hostname,
        port=port,
        site_name=name,
        root_page=home,
        is_default_site=is_default,
    )
    SiteProfile.objects.create(
        site=site,
        short_name=short_name,
        accent=accent,
        office=office,
        provider=provider,
        tagline=tagline,
    )
    collection = media_root.add_child(name=name)
    editors = Group.objects.create(name=_("Redaktion: %(site)s") % {"site": name})
    reviewers = Group.objects.create(name=_("Freigabe: %(site)s") % {"site": name})
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    editors.permissions.add(_submit_translation())
    for group, page_permissions in (
        (editors, EDITOR_PAGE_PERMISSIONS),
        (reviewers, REVIEWER_PAGE_PERMISSIONS),
    ):
        group.permissions.add(access)
        for codename in page_permissions:
            GroupPagePermission.objects.create(
                group=group,
                page=home,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        for app_label, codenames in MEDIA_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.create(
                    group=group,
                    collection=collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )
    task = ReviewTask.objects.create(name=_("Freigabe: %(site)s") % {"site": name})
    task.groups.set([reviewers])
    workflow = Workflow.objects.create(name=_("Vier-Augen-Freigabe: %(site)s") % {"site": name})
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=home)
    cache.delete(HOSTS_CACHE_KEY)
    return SiteSetup(site=site, root=home, editors=editors, reviewers=reviewers)


def _submit_translation() -> Permission:
    """wagtail-localize's right to start a translation (a migration of its own makes it, so a
    test database emptied between tests lacks it)."""
    content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    return permission


def slug_for(text: str) -> str:
    """A page's short address from its title or file name (Ä → ae, at most 80 letters)."""
    return slugify(text.translate(_UMLAUTS))[:80].strip("-") or "seite"


def remove_placeholder_site() -> None:
    """Wagtail's first migration creates a "Welcome" page as the default site; the city's
    portal takes its place."""
    placeholder = Site.objects.filter(
        is_default_site=True, root_page__content_type__app_label="wagtailcore"
    ).first()
    if placeholder is not None:
        page = placeholder.root_page
        placeholder.delete()
        page.delete()
        cache.delete(HOSTS_CACHE_KEY)


def path_taken(slug: str, parent: Page | None) -> str | None:
    """Why a page's path below the city portal is a module's (/leistungen/, /termine/ …),
    where it could never be reached; None when Wagtail would serve it."""
    if parent is None or not Site.objects.filter(root_page=parent, is_default_site=True).exists():
        return None
    try:
        match = resolve(f"/{slug}/")
    except Resolver404:
        return None
    if match.func is serve:
        return None
    return _(
        "Die Adresse /%(slug)s/ gehört schon zu einem anderen Teil des Portals. Wählen Sie "
        "einen anderen Kurznamen."
    ) % {"slug": slug}


# --- going live -------------------------------------------------------------------------


def page_findings(page: SitePage) -> list[accessibility.Finding]:
    """Every accessibility finding of a page as it would go live."""
    language = page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE
    findings = accessibility.body_findings(page.body, language)
    site = page.get_site()
    if site is not None:
        profile = SiteProfile.for_site(site)
        findings += accessibility.colour_findings(profile.accent)
    return findings


def _authors(page: SitePage) -> set[int]:
    """Who wrote the version under review, and who asked for it to go live."""
    authors = set()
    if revision := page.get_latest_revision():
        authors.add(revision.user_id)
    if (state := page.current_workflow_state) is not None:
        authors.add(state.requested_by_id)
    return authors - {None}


def approval_refusal(page: SitePage, user) -> str | None:
    """Why ``user`` may not approve ``page`` now, or None."""
    page = page.specific
    if user.pk in _authors(page):
        return _(
            "Diese Fassung haben Sie selbst geschrieben oder eingereicht. Freigeben muss eine "
            "zweite Person."
        )
    revision = page.get_latest_revision()
    if revision is not None and (findings := page_findings(revision.as_object())):
        return " ".join(finding.message for finding in findings)
    return None


def _content(page: SitePage) -> tuple:
    def without_ids(value):
        if isinstance(value, dict):
            return {key: without_ids(item) for key, item in value.items() if key != "id"}
        if isinstance(value, list):
            return [without_ids(item) for item in value]
        return value

    body = without_ids(list(page.body.raw_data))
    return (page.title, page.slug, page.intro, page.easy_language, json.dumps(body, sort_keys=True))


def differs_from_latest(page: SitePage) -> bool:
    """Whether the form's content is not the version under review (block ids aside)."""
    revision = page.get_latest_revision() if page.pk else None
    return revision is None or _content(page) != _content(revision.as_object())


def intent_refusals(page: SitePage, user, intent: str, changed: bool) -> list[str]:
    """What stops the editor's button (publish, submit, approve) for the form's content."""
    refusals = [finding.message for finding in page_findings(page)]
    if intent == "publish":
        refusals.append(
            _(
                "Seiten gehen nach dem Vier-Augen-Prinzip online: Reichen Sie die Seite zur "
                "Freigabe ein; eine zweite Person veröffentlicht sie."
            )
        )
    elif intent == "approve":
        if changed:
            refusals.append(
                _(
                    "Mit eigenen Änderungen können Sie nicht freigeben. Speichern Sie die "
                    "Änderungen und bitten Sie eine weitere Person um die Freigabe, oder "
                    "fordern Sie Änderungen an."
                )
            )
        elif page.pk and user.pk in _authors(page.specific):
            refusals.append(approval_refusal(page, user) or "")
    return [refusal for refusal in refusals if refusal]


def publish_refusal(revision, user) -> str | None:
    """Why a revision may not go live (the model's last guard), or None.

    ``user`` None is the system itself: the demo loader and scheduled publishing of a
    revision that was approved before."""
    page = revision.as_object()
    if findings := page_findings(page):
        return " ".join(finding.message for finding in findings)
    if translation.unapproved(page, user):
        return _(
            "Übersetzungen gehen nur über „Veröffentlichen“ im Übersetzungseditor online, "
            "durch eine zweite Person aus der Freigabegruppe."
        )
    if user is not None and revision.user_id == user.pk:
        return _("Veröffentlichen muss eine zweite Person, nicht die Autorin oder der Autor.")
    return None


@transaction.atomic
def publish_as_system(page: SitePage) -> None:
    """Demo and import: publish the latest revision as the system (the rules still apply)."""
    revision = page.save_revision()
    with translation.approved():
        revision.publish()


# --- search -----------------------------------------------------------------------------


@dataclass
class PageHit:
    page_id: int
    site_name: str
    page: SitePage | None = None  # loaded for the hits shown (``load_pages``)


@dataclass
class SearchResults:
    pages: list
    services: list


def search(query: str, site: Site | None, *, services_limit: int = 5) -> SearchResults:
    """Pages of every site (this site's first) and the catalogue's services, in one list."""
    from rathaus.catalog.search import search as catalog_search

    found = _in_visitors_language(ranked_pages(query, limit=200))
    sites = dict(Site.objects.values_list("root_page__translation_key", "site_name"))
    roots = sorted(
        Page.objects.filter(translation_key__in=sites).values_list("path", "translation_key"),
        key=lambda root: -len(root[0]),
    )
    hits = []
    for page_id, page_path in found:
        name = next((sites[key] for path, key in roots if page_path.startswith(path)), "")
        hits.append(PageHit(page_id=page_id, site_name=name))
    if site is not None:
        hits.sort(key=lambda hit: hit.site_name != site.site_name)
    services = [hit.service for hit in catalog_search(query, limit=services_limit).hits]
    return SearchResults(pages=hits, services=services)


def _in_visitors_language(found: list[tuple[int, str, int, str]]) -> list[tuple[int, str]]:
    """German pages and those in the visitor's language; of a page found in both, the
    translation."""
    default = translation.default_locale_id()
    wanted = {default, translation.active_locale_id()}
    translated = {key for _pk, _path, locale, key in found if locale in wanted - {default}}
    return [
        (pk, path)
        for pk, path, locale, key in found
        if locale in wanted and (locale != default or key not in translated)
    ]


def load_pages(hits: Iterable[PageHit]) -> None:
    """The pages of the hits shown (a result page of 20, not all 200 that were ranked)."""
    hits = list(hits)
    ids = [hit.page_id for hit in hits]
    pages = Page.objects.filter(pk__in=ids).defer_streamfields().specific().in_bulk()
    for hit in hits:
        hit.page = pages.get(hit.page_id)


# --- what pages show ---------------------------------------------------------------------


def institution_hosts() -> dict[str, int]:
    """Host names of the institution sites (not the city portal), by site id; cached."""
    hosts = cache.get(HOSTS_CACHE_KEY)
    if hosts is None:
        hosts = dict(Site.objects.filter(is_default_site=False).values_list("hostname", "pk"))
        cache.set(HOSTS_CACHE_KEY, hosts, 300)
    return hosts


def page_context(page: SitePage, request: HttpRequest) -> dict:
    """What every page template shows around the page: its site, navigation and trail.

    The structure is the German tree's (a translated tree may lack pages), each item shown in
    the visitor's language where translated; so are the cache tags (``purging.page_changed``
    purges a translation's German page)."""
    source = translation.source_of(page)
    site = source.get_site()
    profile = SiteProfile.for_site(site) if site else None
    root = site.root_page if site else source
    ancestors = list(source.get_ancestors().filter(depth__gte=root.depth)) if site else []
    page_cache.depends_on(
        f"page:{source.pk}",
        f"list:{source.pk}",
        f"menu:{root.pk}",
        f"site:{site.pk if site else 0}",
        *(f"label:{ancestor.pk}" for ancestor in ancestors),
    )
    if page.get_view_restrictions():
        page_cache.do_not_store()
    shown_root, *breadcrumbs = translation.localized([root, *ancestors])
    language = page.locale.language_code
    return {
        "source_page": source,
        "page_language": language,
        # a German page shown to a visitor of another language (not a translation's preview)
        "translation_note": (
            "german" if language == settings.LANGUAGE_CODE != get_language() else ""
        ),
        "language_mark": language if language != get_language() else "",
        "site_profile": profile,
        "site_root": shown_root if site else page,
        "site_navigation": translation.localized(root.get_children().live().in_menu()),
        "site_is_portal": bool(site and site.is_default_site),
        "breadcrumbs": breadcrumbs,
        "page_ancestors": {ancestor.pk for ancestor in breadcrumbs},
        "children": translation.localized(
            source.get_children().live().public().specific(), specific=True
        ),
    }


def upcoming_events(profile: SiteProfile | None, user, count: int = 20) -> list:
    """The next offers of the site's provider in the programme portal (never a copy), as
    ``user`` may see them (staff also see internal trainings)."""
    if profile is None or profile.provider_id is None:
        return []
    page_cache.depends_on(f"offers:{profile.provider_id}", timeout=page_cache.SHORT_TIMEOUT)
    return list(
        offer_search.listed(user)
        .filter(provider_id=profile.provider_id)
        .select_related("venue")
        .order_by("starts_at", "title")[: max(1, min(count, 50))]
    )


def latest_news(root: Page, count: int = 5) -> list:
    from .models import NewsPage

    page_cache.depends_on(f"news:{root.pk}")
    news = NewsPage.objects.descendant_of(root).live().order_by("-date", "-pk")[:count]
    return translation.localized(news, specific=True)
