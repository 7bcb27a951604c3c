"""Middleware of the platform: security headers that Django's own SecurityMiddleware does
not set, the methods pages answer, and the observation of every request.

The Content-Security-Policy allows nothing inline: every script and style comes
from our own static files, so an injected ``<script>`` or ``style=`` does not run.
"""

import logging
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from . import metrics
from .logging import accepted_request_id, request_context
from .ratelimit import client_ip

request_logger = logging.getLogger("rathaus.request")
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})

# The hash is that of an empty <style> element: the CMS's translation editor (wagtail-localize,
# styled-components) creates one and fills it through the CSSOM, which CSP does not govern;
# any <style> with content stays refused.
EMPTY_STYLE_ELEMENT = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": f"'self' {EMPTY_STYLE_ELEMENT}",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self'",
    "manifest-src": "'self'",
    "form-action": "'self'",
    "frame-src": "'self'",  # the CMS's preview shows our own page in a frame
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}

PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "camera=()",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "publickey-credentials-create=(self)",
        "publickey-credentials-get=(self)",
    ]
)


def _csp_header(secure: bool, framed: bool = False, images: str = "") -> str:
    policy = CSP | ({"frame-ancestors": "'self'"} if framed else {})
    if images:
        policy["img-src"] = f"{CSP['img-src']} {images}"
    parts = [f"{name} {value}" for name, value in policy.items()]
    if secure:
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


def allow_images_from(response: HttpResponse, request: HttpRequest, origin: str) -> None:
    """The page may also load images from ``origin`` (a configured map tile server)."""
    secure = request.is_secure() or settings.HTTPS
    response.headers["Content-Security-Policy"] = _csp_header(secure, images=origin)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.csp = {
            (secure, framed): _csp_header(secure=secure, framed=framed)
            for secure in (False, True)
            for framed in (False, True)
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        secure = request.is_secure() or settings.HTTPS
        # A view that allows framing by our own pages (the CMS's preview) says so with
        # X-Frame-Options: SAMEORIGIN; the CSP follows it.
        framed = response.headers.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
        response.headers.setdefault("Content-Security-Policy", self.csp[secure, framed])
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


class PageMethodsMiddleware:
    """Pages answer GET, HEAD and POST; anything else (OPTIONS, TRACE, PUT, DELETE …) gets 405.

    Django's function views would otherwise run their GET branch for any method. The JSON
    API under ``/api/`` declares its methods itself.
    """

    ALLOWED = ("GET", "HEAD", "POST")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in self.ALLOWED and not request.path.startswith("/api/"):
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)


class RequestObservationMiddleware:
    """Gives each request an id, times it, counts it per route and logs one line for it.

    Comes first in ``MIDDLEWARE`` so the time and status are what the client gets. The id
    is the proxy's ``X-Request-ID`` when that is short and safe, else a new one; it is
    sent back in the response and reaches every log line of the request and of the tasks
    it queues. The log line names the route, never the path (which may hold a token).
    """

    # Probed every few seconds by load balancers and Prometheus: logged only at DEBUG.
    QUIET_ROUTES = frozenset({"core:healthz", "core:readyz", "core:metrics"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._serving_pid = 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Counted in the process that serves: with gunicorn's --preload the middleware was
        # made before the workers were forked.
        if self._serving_pid != os.getpid():
            self._serving_pid = os.getpid()
            metrics.server_process_started()
        request_id = accepted_request_id(request.headers.get("X-Request-ID"))
        started = time.perf_counter()
        with request_context(request_id):
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            route, method = route_name(request), _method(request)
            metrics.observe_request(
                route=route, method=method, status=response.status_code, seconds=seconds
            )
            raised = getattr(request, "_rathaus_exception", None)
            if raised is not None and response.status_code >= 500:
                metrics.observe_exception(route=route, exception=raised)
            request_logger.log(
                logging.DEBUG if route in self.QUIET_ROUTES else logging.INFO,
                "%s %s %s",
                method,
                route,
                response.status_code,
                extra={
                    "method": method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "client_ip": client_ip(request),
                },
            )
        response["X-Request-ID"] = request_id
        # Our line above covers it: Django's own "Service Unavailable: /path" afterwards would
        # repeat it with the raw path and without the id. Tracebacks are logged before, with it.
        response._has_been_logged = True
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """Remember what the view raised; it counts as an error only if it became a 5xx
        (Django answers ``Http404`` or ``PermissionDenied`` with a 4xx)."""
        request._rathaus_exception = exception


def _method(request: HttpRequest) -> str:
    method = request.method or ""
    return method if method in KNOWN_METHODS else "other"


def route_name(request: HttpRequest) -> str:
    """The URL pattern's name (or pattern) that served the request: a bounded label."""
    match = request.resolver_match
    if match is not None:
        return match.view_name if match.url_name else match.route or "unnamed"
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"
