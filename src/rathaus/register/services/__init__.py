"""The register's business operations: records and their versions (``records``), fairness
audits (``audits``). Other modules use what is named here."""

from .audits import audit_decisions, audit_file, audits_for, latest_public, visible_to
from .records import (
    EDIT,
    FIRST_PUBLICATION,
    TEXT_FIELDS,
    Change,
    changes,
    document,
    publish,
    published,
    save,
    search,
    source_links,
)

__all__ = [
    "EDIT",
    "FIRST_PUBLICATION",
    "TEXT_FIELDS",
    "Change",
    "audit_decisions",
    "audit_file",
    "audits_for",
    "changes",
    "document",
    "latest_public",
    "publish",
    "published",
    "save",
    "search",
    "source_links",
    "visible_to",
]
