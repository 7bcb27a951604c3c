"""Backup and restore: the database and every file under ``MEDIA_ROOT`` in one archive.

The archive (``.tar.gz``) holds ``database/`` (PostgreSQL: ``pg_dump --format=custom``;
SQLite: a copy made with SQLite's online backup), ``files/`` (uploads and generated PDFs,
as under ``MEDIA_ROOT``), with ``--with-secret-key`` the site key, and ``manifest.json``:
format version, time, Rathaus version, database vendor, the latest applied migration of
every app, and the size and SHA-256 of every member. A restore checks every member
against the manifest before it changes anything, so a damaged or altered archive is
refused as a whole.

The secret key stays out by default: it signs sessions and the links residents got by
e-mail, so an archive with it lets whoever holds a copy forge them. Production keeps the
key in its secret store (``SECRET_KEY``), apart from the backups.

``rathaus backup`` and ``rathaus restore`` are thin commands over ``create`` and
``restore``; every failure is a ``BackupError`` whose German message says what to do.
"""

from .archive import BackupError, Manifest, default_path
from .reader import restore
from .writer import create

__all__ = ["BackupError", "Manifest", "create", "default_path", "restore"]
