"""Demo homepages: the city portal and five institutions, from the JSON files here.

A site that exists already is left alone (editors may have changed it), so ``rathaus demo``
can run twice. ``--scale N`` adds N − 1 archive copies of each site's pages (benchmarks).

``translations/<site>.<language>.json`` holds a translation memory (German text → text in
the language) for a site: its home page and top-level pages whose texts are all in it are
translated with wagtail-localize and published, the others stay German (with the note).

The pages go live with one revision each, without the publishing machinery (which checks
the accessibility rules, writes the audit trail and purges the page cache – seconds per
hundred pages, for every test database). That the demo texts keep the rules is a test
(tests/sites/test_sites.py).
"""

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.search import index
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from rathaus.catalog.models import Service
from rathaus.offices.models import Office
from rathaus.programs.models import Provider

from .. import services, translation
from ..models import ContentPage, EventIndexPage, InstitutionPage, NewsIndexPage, NewsPage

FOLDER = Path(__file__).parent
PORTAL = "stadt"  # the city portal; every other file here is an institution's site
# ``make run`` serves on this port; page links to another site carry it.
DEMO_PORT = 8000


def load(*, scale: int = 1, log: Callable[[str], Any] = print) -> None:
    services.remove_placeholder_site()
    service_ids = dict(Service.objects.values_list("slug", "pk"))
    created = 0
    files = sorted(FOLDER.glob("*.json"), key=lambda path: (path.stem != PORTAL, path.stem))
    for number, path in enumerate(files, start=1):
        data = json.loads(path.read_text(encoding="utf-8"))
        if Site.objects.filter(hostname=data["hostname"]).exists():
            continue
        builder = _Builder(data, service_ids)
        created += builder.build(scale)
        log(f"  Internetauftritt {number}/{len(files)}: {data['name']} ({data['hostname']})")
        for memory in sorted((FOLDER / "translations").glob(f"{data['slug']}.*.json")):
            translated = _translate(builder.home, memory)
            log(f"    {translated} Seiten übersetzt ({memory.stem.rpartition('.')[2]})")
    if created:
        _index(Page.objects.live())
        log(f"  Internetauftritte: {created} Seiten veröffentlicht.")


def grow(pages_per_site: int, log: Callable[[str], Any] = print) -> None:
    """Benchmarks: archive copies of each demo site's pages until it has ``pages_per_site``
    live pages (``bench/sites.py``: 6 sites × 2,000 pages)."""
    service_ids = dict(Service.objects.values_list("slug", "pk"))
    for path in sorted(FOLDER.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        site = Site.objects.filter(hostname=data["hostname"]).select_related("root_page").first()
        if site is None:
            continue
        home, builder = site.root_page, _Builder(data, service_ids)
        office = Office.objects.filter(slug=data.get("office") or "").first()
        pages = Page.objects.descendant_of(home, inclusive=True).live().count()
        copy = home.get_children().filter(slug__startswith="archiv-").count() + 2
        reported = pages
        while pages + builder.count < pages_per_site:
            builder.archive(home, copy, office)
            copy += 1
            if pages + builder.count - reported >= 500:
                reported = pages + builder.count
                log(f"  {data['name']}: {reported} Seiten")
        _index(Page.objects.descendant_of(home).live())


def _translate(home: Page, memory_file: Path) -> int:
    """The home page and top-level pages whose every text is in the memory, translated and
    published as the system (the accessibility rules still apply)."""
    memory = json.loads(memory_file.read_text(encoding="utf-8"))
    locale = Locale.objects.get(language_code=memory_file.stem.rpartition(".")[2])
    count = 0
    for page in [home, *home.get_children().live().specific()]:
        source, _created = TranslationSource.get_or_create_from_instance(page)
        segments = StringSegment.objects.filter(source=source).select_related("string")
        if any(segment.string.data not in memory for segment in segments):
            continue
        StringTranslation.objects.bulk_create(
            StringTranslation(
                translation_of=segment.string,
                locale=locale,
                context_id=segment.context_id,
                data=memory[segment.string.data],
                translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
            )
            for segment in segments
        )
        Translation.objects.get_or_create(source=source, target_locale=locale)
        translated, _created = source.create_or_update_translation(locale, publish=False)
        revision = translated.get_latest_revision()
        with translation.approved():
            revision.publish()
        count += 1
    return count


def _index(pages) -> None:
    """The search index is written by a background task per page; the demo's pages are
    searchable at once, also before the worker runs."""
    for page in pages.specific().iterator():
        index.insert_or_update_object(page)


class _Builder:
    def __init__(self, data: dict, service_ids: dict[str, int]) -> None:
        self.data = data
        self.service_ids = service_ids
        self.count = 0
        self.home: Page | None = None

    def build(self, scale: int) -> int:
        data = self.data
        office = Office.objects.filter(slug=data.get("office") or "").first()
        setup = services.create_site(
            name=data["name"],
            short_name=data["short_name"],
            hostname=data["hostname"],
            port=DEMO_PORT,
            slug=data["slug"],
            home_title=data["home"]["title"],
            accent=data["accent"],
            is_default=data["slug"] == PORTAL,
            office=office,
            provider=Provider.objects.filter(slug=data.get("provider") or "").first(),
            tagline=data.get("tagline", ""),
        )
        home = self.home = setup.root
        self._fill(home, data["home"])
        home.save()  # create_site made the page; its text is written here, not only in a revision
        self._go_live(home)
        for page in data["pages"]:
            self._tree(home, page, show_in_menus=True, office=office)
        news = self._add(
            home,
            NewsIndexPage(),
            {"slug": "aktuelles", "title": "Aktuelles", "intro": f"Meldungen: {data['name']}."},
        )
        for item in sorted(data["news"], key=lambda n: n["days_ago"], reverse=True):
            self._news(news, item)
        for copy in range(2, scale + 1):
            self.archive(home, copy, office)
        return self.count

    def archive(self, home: Page, copy: int, office: Office | None) -> None:
        """A copy of the site's pages below ``archiv-<copy>`` (benchmarks: more pages)."""
        archive = self._add(
            home,
            ContentPage(),
            {"slug": f"archiv-{copy}", "title": f"Archiv {copy}", "intro": ""},
            show_in_menus=False,
        )
        for page in self.data["pages"]:
            self._tree(archive, page, show_in_menus=False, office=office)

    def _tree(self, parent: Page, data: dict, *, show_in_menus: bool, office=None) -> None:
        """A page and its children; an institution's "besuch" page is its visitor page
        (address and hours from the office) and "veranstaltungen" lists its offers."""
        if data["slug"] == "besuch" and office is not None:
            page = InstitutionPage(office=office)
        elif data["slug"] == "veranstaltungen" and self.data.get("provider"):
            page = EventIndexPage()
        else:
            page = ContentPage()
        page = self._add(parent, page, data, show_in_menus=show_in_menus)
        for child in data.get("children", []):
            self._tree(page, child, show_in_menus=False)

    def _news(self, index: Page, item: dict) -> None:
        slug = services.slug_for(item["title"])
        date = timezone.localdate() - timedelta(days=int(item["days_ago"]))
        self._add(index, NewsPage(date=date), {**item, "slug": slug})

    def _add(self, parent: Page, page: Page, data: dict, *, show_in_menus: bool = True) -> Page:
        page.title = data["title"]
        page.slug = data["slug"]
        page.show_in_menus = show_in_menus
        self._fill(page, data)
        parent.add_child(instance=page)
        self._go_live(page)
        return page

    def _go_live(self, page: Page) -> None:
        page.live = True
        page.first_published_at = page.last_published_at = timezone.now()
        revision = page.save_revision(clean=False)
        type(page).objects.filter(pk=page.pk).update(
            live=True,
            live_revision=revision,
            has_unpublished_changes=False,
            first_published_at=page.first_published_at,
            last_published_at=page.last_published_at,
        )
        self.count += 1

    def _fill(self, page: Page, data: dict) -> None:
        page.intro = data.get("intro", "")
        page.easy_language = data.get("easy", "")
        page.body = json.dumps([self._block(block) for block in data.get("body", [])])

    def _block(self, block: dict) -> dict:
        if block["type"] == "service":
            return {"type": "service", "value": self.service_ids[block["value"]]}
        if block["type"] == "contact":
            return {
                "type": "contact",
                "value": {**block["value"], "office": block["value"].get("office") or ""},
            }
        if block["type"] == "accordion":  # in Wagtail's block format, which translations need
            items = [{"type": "item", "value": item, "id": str(uuid4())} for item in block["value"]]
            return {"type": "accordion", "value": items}
        return {"type": block["type"], "value": block["value"]}
