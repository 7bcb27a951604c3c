"""``{% easy_page "startseite" %}``: the Leichte Sprache text of a key page.

Key pages (home, contact, …) have no model to hold their easy-language text; it lives in
``language/easy_pages/<name>.txt``, where the checker's test reads it too.
"""

import functools
from pathlib import Path

from django import template

register = template.Library()

PAGES = Path(__file__).resolve().parent.parent / "easy_pages"


@functools.cache
def _read(name: str) -> str:
    path = PAGES / f"{name}.txt"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@register.simple_tag
def easy_page(name: str) -> str:
    return _read(name)
