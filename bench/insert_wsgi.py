"""Bench only: Rathaus with one extra endpoint, ``POST /bench/insert``, that inserts a single
row with the ORM and answers 201 — the baseline "plain insert" of ``bench/appointments.py``,
served by the same gunicorn and database as the real booking form. Every other request
goes to ``rathaus.wsgi.application`` unchanged. Never deploy this.

    common.server(database_url, app="insert_wsgi:application")
"""

import secrets

from django.db import close_old_connections

from rathaus.wsgi import application as rathaus_application

PATH = "/bench/insert"
KEY_PREFIX = "bench-"  # the rows it leaves, so the benchmark can delete them afterwards


def application(environ, start_response):
    if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
        return rathaus_application(environ, start_response)
    from rathaus.appointments.models import BookingContact

    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)
    # What Django's handler does around every request (request_started/finished).
    close_old_connections()
    try:
        BookingContact.objects.create(key=KEY_PREFIX + secrets.token_hex(29))
    finally:
        close_old_connections()
    start_response("201 Created", [("Content-Type", "text/plain"), ("Content-Length", "0")])
    return [b""]
