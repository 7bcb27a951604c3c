"""Security headers that Django's own SecurityMiddleware does not set.

The Content-Security-Policy allows nothing inline: every script and style comes
from our own static files, so an injected ``<script>`` or ``style=`` does not run.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self'",
    "manifest-src": "'self'",
    "form-action": "'self'",
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


def _csp_header(secure: bool) -> str:
    parts = [f"{name} {value}" for name, value in CSP.items()]
    if secure:
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.csp_plain = _csp_header(secure=False)
        self.csp_secure = _csp_header(secure=True)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        secure = request.is_secure() or settings.HTTPS
        response.headers.setdefault(
            "Content-Security-Policy", self.csp_secure if secure else self.csp_plain
        )
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
