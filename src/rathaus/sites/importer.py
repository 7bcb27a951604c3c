"""Moving an old homepage in: a saved website (a folder of HTML files and images) becomes
draft pages of a site, with cleaned markup, images with the alt texts they had, redirects
from the old paths, and a report of what an editor must look at.

Nothing is published: the drafts go through the same review and accessibility rules as
every page. Markup passes an allow-list (paragraphs, two heading levels, lists, links,
bold, italics); everything else – ``<font>``, inline styles, ids, scripts, layout tables –
is unwrapped or dropped, and the report says where.
"""

import json
import mimetypes
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image
from wagtail.models import Collection, Page, Site

from .accessibility import VAGUE_LINK_TEXTS
from .models import ContentPage
from .services import slug_for

MAX_HTML_BYTES = 5 * 1024 * 1024
MAX_IMAGE_BYTES = 10 * 1024 * 1024
PAGE_SUFFIXES = {".html", ".htm"}
# Dropped with their content; every other tag outside KEEP is unwrapped (its text stays).
DROP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "iframe",
        "object",
        "embed",
        "form",
        "input",
        "button",
        "select",
        "textarea",
        "nav",
        "header",
        "footer",
        "head",
        "meta",
        "link",
        "title",
    ]
)
# Whose end starts a new line of text when the tag is unwrapped (cells, boxes).
LINE_BREAKING = frozenset(["td", "th", "tr", "div", "section", "article", "center", "blockquote"])
RENAME = {"strong": "b", "em": "i", "h1": "h2", "h4": "h3", "h5": "h3", "h6": "h3"}
KEEP = {"p", "h2", "h3", "ul", "ol", "li", "a", "b", "i", "br"}
BLOCK_LEVEL = {"p", "h2", "h3", "ul", "ol"}


@dataclass
class Problem:
    path: str
    kind: str
    message: str


@dataclass
class Report:
    pages: list[tuple[str, str]] = field(default_factory=list)  # old path, new URL path
    images: int = 0
    redirects: int = 0
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, kind: str, message: str) -> None:
        self.problems.append(Problem(path, kind, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": [{"old": old, "new": new} for old, new in self.pages],
            "images": self.images,
            "redirects": self.redirects,
            "problems": [problem.__dict__ for problem in self.problems],
        }

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)


class NotImportable(Exception):
    """The folder cannot be imported at all (the message says why, in German)."""


def read_html(path: Path) -> str:
    """The file's text: UTF-8, else the old sites' usual Windows-1252."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _old_path(folder: Path, path: Path) -> str:
    return "/" + path.relative_to(folder).as_posix()


class _Importer:
    def __init__(self, folder: Path, site: Site, parent: Page, log: Callable[[str], Any]):
        self.folder = folder
        self.site = site
        self.parent = parent
        self.log = log
        self.report = Report()
        self.files = sorted(
            p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES
        )
        self.pages: dict[Path, ContentPage] = {}
        self.images: dict[Path, Image] = {}
        self.collection = self._collection()

    def _collection(self) -> Collection:
        found = Collection.objects.filter(name=self.site.site_name).first()
        return found or Collection.get_first_root_node()

    # -- the page tree: a/index.html is page a, a/b.html its child b ---------------------------

    def _parent_for(self, path: Path) -> Page:
        relative = path.relative_to(self.folder)
        parts = relative.parts[:-1]
        if path.stem.lower() == "index":
            parts = parts[:-1]
        parent = self.parent
        for depth in range(len(parts)):
            directory = self.folder.joinpath(*parts[: depth + 1])
            index = next(
                (
                    directory / name
                    for name in ("index.html", "index.htm")
                    if (directory / name).is_file()
                ),
                None,
            )
            if index is not None and index in self.pages:
                parent = self.pages[index]
            else:
                parent = self._folder_page(directory, parent)
        return parent

    def _folder_page(self, directory: Path, parent: Page) -> Page:
        key = directory / "index.html"
        if key not in self.pages:
            page = ContentPage(
                title=directory.name.replace("-", " ").title(),
                slug=self._free_slug(parent, slug_for(directory.name)),
                live=False,
            )
            parent.add_child(instance=page)
            page.save_revision()
            self.pages[key] = page
        return self.pages[key]

    def _free_slug(self, parent: Page, slug: str) -> str:
        taken = set(parent.get_children().values_list("slug", flat=True))
        candidate, number = slug, 2
        while candidate in taken:
            candidate, number = f"{slug}-{number}", number + 1
        return candidate

    def run(self) -> Report:
        if not self.files:
            raise NotImportable(f"Im Ordner {self.folder} liegen keine HTML-Dateien (.html, .htm).")
        ordered = sorted(
            self.files,
            key=lambda p: (
                len(p.relative_to(self.folder).parts),
                p.stem.lower() != "index",
                str(p),
            ),
        )
        documents = {}
        for number, path in enumerate(ordered, start=1):
            old = _old_path(self.folder, path)
            if path.stat().st_size > MAX_HTML_BYTES:
                self.report.add(
                    old, "zu groß", "Die Datei ist größer als 5 MB und wurde nicht übernommen."
                )
                continue
            soup = BeautifulSoup(read_html(path), "html.parser")
            title = self._title(soup, path)
            parent = self._parent_for(path)
            is_root_index = path == self.folder / path.name and path.stem.lower() == "index"
            stem = (
                path.parent.name
                if path.stem.lower() == "index" and not is_root_index
                else path.stem
            )
            page = ContentPage(
                title=title,
                slug=self._free_slug(
                    parent, slug_for(stem if not is_root_index else "startseite-alt")
                ),
                live=False,
            )
            parent.add_child(instance=page)
            self.pages[path] = page
            documents[path] = soup
            self.log(f"  Seite {number}/{len(ordered)}: {old} → {page.url_path}")
        for path, soup in documents.items():
            page = self.pages[path]
            page.body = json.dumps(self._body(soup, path))
            page.intro = self._intro(soup)
            page.save()
            page.save_revision()
            old = _old_path(self.folder, path)
            self.report.pages.append((old, page.get_url() or page.url_path))
            for alias in self._aliases(path):
                Redirect.objects.update_or_create(
                    old_path=Redirect.normalise_path(alias),
                    site=self.site,
                    defaults={"redirect_page": page, "is_permanent": True},
                )
                self.report.redirects += 1
        return self.report

    def _aliases(self, path: Path) -> list[str]:
        old = _old_path(self.folder, path)
        aliases = [old]
        if path.stem.lower() == "index":
            directory = posixpath.dirname(old)
            aliases.append(directory + "/" if directory != "/" else "/index")
        return aliases

    def _title(self, soup: BeautifulSoup, path: Path) -> str:
        for candidate in (soup.find("h1"), soup.title):
            if candidate and (text := " ".join(candidate.get_text(" ").split())):
                return text[:250]
        self.report.add(
            _old_path(self.folder, path),
            "Titel",
            "Die Seite hatte keinen Titel; der Dateiname wurde genommen.",
        )
        return path.stem.replace("-", " ").replace("_", " ").title()

    def _intro(self, soup: BeautifulSoup) -> str:
        meta = soup.find("meta", attrs={"name": "description"})
        return " ".join((meta.get("content") or "").split())[:600] if meta else ""

    # -- the body -------------------------------------------------------------------------

    def _body(self, soup: BeautifulSoup, path: Path) -> list[dict]:
        old = _old_path(self.folder, path)
        root = (
            soup.find("main")
            or soup.find(id="inhalt")
            or soup.find(id="content")
            or soup.body
            or soup
        )
        h1 = root.find("h1")
        if h1 is not None:
            h1.decompose()  # the page title
        for comment in root.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        for tag in root.find_all(DROP):
            tag.decompose()
        tables: list[dict] = []
        for table in reversed(root.find_all("table")):  # inner tables first
            if not self._is_layout(table):
                tables.append(self._table(table, old))
                table.replace_with(_marker(soup, "table", len(tables) - 1))
        if root.find("table") is not None:
            self.report.add(
                old,
                "Layouttabelle",
                "Eine Tabelle diente dem Layout; sie wurde aufgelöst. Bitte den Aufbau der "
                "Seite prüfen.",
            )
        images: list[dict | None] = []
        for img in root.find_all("img"):
            images.append(self._image(img, path))
            marker = _marker(soup, "image", len(images) - 1)
            if (paragraph := img.find_parent("p")) is not None:
                paragraph.insert_after(marker)
                img.decompose()
            else:
                img.replace_with(marker)
        self._clean(root, path)
        return self._split(root.decode_contents(), tables, images)

    def _is_layout(self, table: Tag) -> bool:
        """No header cells, and cells holding page structure: a layout table."""
        if any(cell.find_parent("table") is table for cell in table.find_all("th")):
            return False
        return (
            bool(table.find(["table", "p", "div", "img", "h1", "h2", "h3", "ul"]))
            or table.get("role") == "presentation"
        )

    def _table(self, table: Tag, old: str) -> dict:
        rows = [
            [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])]
            for row in table.find_all("tr")
        ]
        rows = [row for row in rows if any(row)]
        caption = table.find("caption")
        caption_text = " ".join(caption.get_text(" ").split()) if caption else ""
        first = table.find("tr")
        if first is not None and first.find("th"):
            header, body = rows[0], rows[1:]
        else:
            header, body = [""] * (len(rows[0]) if rows else 1), rows
            self.report.add(
                old,
                "Tabelle",
                "Eine Tabelle hat keine Kopfzellen; bitte im Editor Spaltenköpfe eintragen "
                "(sonst kann die Seite nicht veröffentlicht werden).",
            )
        if not caption_text:
            caption_text = "Tabelle"
            self.report.add(
                old,
                "Tabelle",
                "Eine Tabelle hat keine Überschrift; bitte eine Tabellenüberschrift eintragen.",
            )
        width = max([len(header), *[len(row) for row in body]]) if body else len(header)
        header = (header + [""] * width)[:width]
        body = [(row + [""] * width)[:width] for row in body]
        return {
            "type": "table",
            "value": {"caption": caption_text[:200], "header": header, "rows": body},
        }

    def _image(self, img: Tag, page_path: Path) -> dict | None:
        old = _old_path(self.folder, page_path)
        source = unquote(urlsplit(img.get("src") or "").path)
        if not source or urlsplit(img.get("src") or "").scheme:
            self.report.add(
                old,
                "Bild",
                f"Das Bild {img.get('src') or '(ohne Quelle)'} liegt nicht im Ordner und "
                "wurde nicht übernommen.",
            )
            return None
        file = (
            (self.folder / source.lstrip("/"))
            if source.startswith("/")
            else (page_path.parent / source)
        )
        file = Path(posixpath.normpath(file.as_posix()))
        if not file.is_file() or self.folder not in file.parents:
            self.report.add(old, "Bild", f"Das Bild {source} fehlt im Ordner.")
            return None
        if file.stat().st_size > MAX_IMAGE_BYTES or not (
            mimetypes.guess_type(file.name)[0] or ""
        ).startswith("image/"):
            self.report.add(old, "Bild", f"{source} ist kein Bild oder größer als 10 MB.")
            return None
        alt = " ".join((img.get("alt") or "").split())
        if file not in self.images:
            with file.open("rb") as handle:
                image = Image(title=alt or file.stem, collection=self.collection)
                image.file = ImageFile(handle, name=file.name)
                image.save()
            self.images[file] = image
            self.report.images += 1
        if not alt:
            self.report.add(
                old,
                "Alternativtext",
                f"Das Bild {source} hat keinen Alternativtext; bitte im Editor ergänzen.",
            )
        return {
            "type": "image",
            "value": {
                "image": self.images[file].pk,
                "alt": alt,
                "decorative": False,
                "caption": "",
            },
        }

    def _clean(self, root: Tag, page_path: Path) -> None:
        old = _old_path(self.folder, page_path)
        for tag in list(root.find_all(True)):
            if tag.name in RENAME:
                tag.name = RENAME[tag.name]
            if tag.name not in KEEP:
                if tag.name in LINE_BREAKING:
                    tag.insert_after(NavigableString("\n"))
                tag.unwrap()
                continue
            href = tag.get("href") if tag.name == "a" else None
            tag.attrs = {}
            if tag.name == "a":
                target = self._link(href, page_path)
                text = " ".join(tag.get_text(" ").split())
                if target is None:
                    self.report.add(
                        old,
                        "Link",
                        f"Der Link „{text}“ auf {href} führt ins Leere; er wurde entfernt.",
                    )
                    tag.unwrap()
                    continue
                tag["href"] = target
                if text.lower() in VAGUE_LINK_TEXTS or not text:
                    self.report.add(
                        old, "Linktext", f"Der Linktext „{text}“ sagt nicht, wohin der Link führt."
                    )

    def _link(self, href: str | None, page_path: Path) -> str | None:
        if not href:
            return None
        parts = urlsplit(href)
        if parts.scheme in {"http", "https", "mailto", "tel"}:
            return href
        if parts.scheme or not parts.path:
            return href if href.startswith("#") else None
        target = (
            (self.folder / unquote(parts.path).lstrip("/"))
            if parts.path.startswith("/")
            else (page_path.parent / unquote(parts.path))
        )
        target = Path(posixpath.normpath(target.as_posix()))
        if target.is_dir():
            target = target / "index.html"
        page = self.pages.get(target)
        if page is None:
            return None
        return page.get_url() or page.url_path

    def _split(self, html: str, tables: list[dict], images: list[dict | None]) -> list[dict]:
        """Rich text between the markers, tables and images as their own blocks."""
        soup = BeautifulSoup(html, "html.parser")
        blocks: list[dict] = []
        current: list[str] = []

        def flush() -> None:
            text = "".join(current).strip()
            if text:
                blocks.append({"type": "text", "value": _paragraphs(text)})
            current.clear()

        for node in list(soup.children):
            text = node.get_text() if isinstance(node, Tag) else str(node)
            if text.startswith("\x00table"):
                flush()
                blocks.append(tables[int(text[6:])])
            elif text.startswith("\x00image"):
                flush()
                if (image := images[int(text[6:])]) is not None:
                    blocks.append(image)
            else:
                current.append(str(node).replace("\x00", ""))
        flush()
        return blocks


def _marker(soup: BeautifulSoup, kind: str, index: int) -> Tag:
    """A paragraph standing where a table or image was; ``_split`` puts the block there."""
    marker = soup.new_tag("p")
    marker.string = f"\x00{kind}{index}"
    return marker


def _paragraphs(html: str) -> str:
    """Loose text and inline tags wrapped into paragraphs (the editor stores only blocks)."""
    soup = BeautifulSoup(html, "html.parser")
    out, loose = [], []

    def flush() -> None:
        text = "".join(loose).strip()
        if text:
            for chunk in [c.strip() for c in text.split("\n") if c.strip()]:
                out.append(f"<p>{chunk}</p>")
        loose.clear()

    for node in soup.children:
        if isinstance(node, Tag) and node.name in BLOCK_LEVEL:
            flush()
            if node.get_text(strip=True):
                out.append(str(node))
        else:
            loose.append(str(node))
    flush()
    return "".join(out)


def import_site(
    folder: Path, site: Site, *, under: Page | None = None, log: Callable[[str], Any] = print
) -> Report:
    """Draft pages of ``site`` (below ``under``, default its home page) from ``folder``; all
    or nothing."""
    if not folder.is_dir():
        raise NotImportable(f"Den Ordner {folder} gibt es nicht.")
    with transaction.atomic():
        return _Importer(folder.resolve(), site, under or site.root_page.specific, log).run()
