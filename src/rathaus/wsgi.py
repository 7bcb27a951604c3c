import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.settings")
application = get_wsgi_application()
# Import the URL modules (every view, Wagtail's admin: 2–3 s) now rather than at a worker's
# first request: with gunicorn's --preload the workers inherit them, and without it a worker
# is slow before it accepts requests instead of while a visitor waits.
get_resolver().url_patterns  # noqa: B018 – the import is the point
