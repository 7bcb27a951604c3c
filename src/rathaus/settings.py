"""The one settings module: every deployment difference comes from the environment.

Defaults give the embedded demo (SQLite under ``var/``, local-memory cache, mail
written to files). Production sets ``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``,
``ALLOWED_HOSTS`` and friends; ``rathaus check`` says what is missing.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import django

BASE_DIR = Path(__file__).resolve().parent


def _default_var_dir() -> Path:
    """The data folder: ``var/`` of the checkout when run from one, else the user's data
    folder – never inside the source tree and never wherever the command happened to start."""
    checkout = BASE_DIR.parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "src" / "rathaus").is_dir():
        return checkout / "var"
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "rathaus"


VAR_DIR = Path(os.environ.get("RATHAUS_VAR_DIR") or _default_var_dir()).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Take SECRET_KEY from the environment, else a key generated once into var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


# --- Core -------------------------------------------------------------------
SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,.localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
ROOT_URLCONF = "rathaus.urls"
WSGI_APPLICATION = "rathaus.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "django_tasks",
    "django_tasks_db",
    "rathaus.core",
    "rathaus.offices",
    "rathaus.accounts",
    "rathaus.catalog",
    # Before the modules whose decisions it audits (their demo rounds and draws), open data
    # (its data set) and the ledger (its versions).
    "rathaus.register",
    "rathaus.applications",
    "rathaus.appointments",
    "rathaus.programs",
    "rathaus.kita",
    "rathaus.council",
    "rathaus.participation",  # after the council: it links processes to the council's papers
    "rathaus.monitor",  # after the modules that report figures, before the open data build
    "rathaus.opendata",  # before the ledger: its demo releases are sequenced with the rest
    "rathaus.ledger",
    "rathaus.language",
    "rathaus.sites",
    # Wagtail, the editorial system of the homepages (module sites), and its translations
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    "rathaus.core.middleware.RequestObservationMiddleware",  # first: times and logs it all
    "rathaus.monitor.metering.ResourceMeterMiddleware",  # CPU and DB time (green-IT account)
    "rathaus.core.middleware.SecurityHeadersMiddleware",
    "rathaus.core.middleware.PageMethodsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rathaus.core.upload_limits.UploadSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rathaus.core.locking.BusyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",  # old homepage paths (import)
    "rathaus.sites.middleware.PageCacheMiddleware",  # stored homepages, before URL resolving
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rathaus.core.context_processors.site",
                "rathaus.language.context_processors.easy_language",
            ],
        },
    },
]
FORM_RENDERER = "rathaus.core.forms.KernFormRenderer"

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'rathaus.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes;
    # IMMEDIATE transactions take the write lock up front instead of failing late.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# A row lock (a counter's day, a reference-number year) waits at most this long; then the
# request answers 503 "Gerade sehr viel los" instead of hanging (PostgreSQL lock_timeout).
LOCK_TIMEOUT_MS = int(os.environ.get("LOCK_TIMEOUT_MS", "3000"))

# --- Cache and rate limits ----------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis, falling back to process memory while it is unreachable (core/cache.py).
            "BACKEND": "rathaus.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "rathaus",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "rathaus-pages"}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The page cache must be one for all processes of the host (a publish purges for all).
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "cache" / "pages",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }

# --- Background tasks -----------------------------------------------------------
# django-tasks' database backend; ours also stores the id of the request that queued a task.
TASKS = {"default": {"BACKEND": "rathaus.core.task_backend.DatabaseBackend", "QUEUES": ["default"]}}
if env_bool("TASKS_IMMEDIATE"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# A worker not heard of for this long counts as dead; its running task is queued again.
WORKER_STALE_SECONDS = int(os.environ.get("WORKER_STALE_SECONDS", "120"))

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ar", "العربية"),
    ("pl", "Polski"),
    ("ja", "日本語"),
]
# Django's own catalogue next to ours: installed apps (Wagtail) translate Django's form
# messages differently ("Dieses Feld ist erforderlich."), and LOCALE_PATHS win over apps.
LOCALE_PATHS = [BASE_DIR / "locale", Path(django.__file__).parent / "conf" / "locale"]
FORMAT_MODULE_PATH = ["rathaus.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and env_bool("HTTPS"))
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files and uploads -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploads and generated documents: outside the web root, served only through views that
# check who may see them (no MEDIA_URL).
MEDIA_ROOT = VAR_DIR / "files"
# An upload to a form field may not exceed this (per field lower limits apply).
FILE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# clamd for virus scanning: a socket path or tcp://host:port; empty = no scanning.
CLAMAV_SOCKET = os.environ.get("CLAMAV_SOCKET", "")
# Reference numbers of cases: DUS-2026-000123.
CASE_REFERENCE_PREFIX = os.environ.get("CASE_REFERENCE_PREFIX", "DUS")
# Unsubmitted drafts are deleted after this many days.
DRAFT_RETENTION_DAYS = 30

# --- Appointments -----------------------------------------------------------------
# An online booking holds its time this long until the e-mail link confirms it.
APPOINTMENT_HOLD_MINUTES = 10
# Per person (e-mail address, phone number or account): open appointments in all.
APPOINTMENT_MAX_OPEN = int(os.environ.get("APPOINTMENT_MAX_OPEN", "3"))
# Bookings per IP address and hour: with the proof of work, and without JavaScript.
APPOINTMENT_BOOKINGS_PER_IP_HOUR = int(os.environ.get("APPOINTMENT_BOOKINGS_PER_IP_HOUR", "20"))
APPOINTMENT_BOOKINGS_NO_POW_PER_IP_HOUR = int(
    os.environ.get("APPOINTMENT_BOOKINGS_NO_POW_PER_IP_HOUR", "4")
)
# Searches for free times (page and API) per IP address and minute.
APPOINTMENT_SEARCHES_PER_IP_MINUTE = int(
    os.environ.get("APPOINTMENT_SEARCHES_PER_IP_MINUTE", "120")
)
# Machine translation of content: off unless TRANSLATION_URL names a LibreTranslate server or
# an OpenAI-compatible endpoint (TRANSLATION_BACKEND=openai, TRANSLATION_MODEL).
TRANSLATION_URL = os.environ.get("TRANSLATION_URL", "")
TRANSLATION_BACKEND = os.environ.get("TRANSLATION_BACKEND", "libretranslate")
TRANSLATION_API_KEY = os.environ.get("TRANSLATION_API_KEY", "")
TRANSLATION_MODEL = os.environ.get("TRANSLATION_MODEL", "gpt-4o-mini")
TRANSLATION_TIMEOUT = float(os.environ.get("TRANSLATION_TIMEOUT", "10"))
# The service assistant may let a language model phrase its answer from the retrieved
# statements (OpenAI-compatible endpoint); off unless ASSISTANT_LLM_URL is set.
ASSISTANT_LLM_URL = os.environ.get("ASSISTANT_LLM_URL", "")
ASSISTANT_LLM_API_KEY = os.environ.get("ASSISTANT_LLM_API_KEY", "")
ASSISTANT_LLM_MODEL = os.environ.get("ASSISTANT_LLM_MODEL", "gpt-4o-mini")
ASSISTANT_LLM_TIMEOUT = float(os.environ.get("ASSISTANT_LLM_TIMEOUT", "8"))
# "Vorlesen" requests per minute from one address (each may run espeak-ng once).
READ_ALOUD_PER_IP_MINUTE = int(os.environ.get("READ_ALOUD_PER_IP_MINUTE", "20"))
# Questions to the service assistant's API per minute from one address.
ASSISTANT_QUESTIONS_PER_IP_MINUTE = int(os.environ.get("ASSISTANT_QUESTIONS_PER_IP_MINUTE", "60"))
# Bookings per e-mail address or phone number and day.
APPOINTMENT_BOOKINGS_PER_CONTACT_DAY = int(
    os.environ.get("APPOINTMENT_BOOKINGS_PER_CONTACT_DAY", "6")
)
# Difficulty of the proof of work (ALTCHA): the browser tries on average half this many hashes.
APPOINTMENT_POW_MAX_NUMBER = int(os.environ.get("APPOINTMENT_POW_MAX_NUMBER", "60000"))
# Names and contacts of past appointments are erased this many days after the appointment.
APPOINTMENT_RETENTION_DAYS = 30

# --- Security -------------------------------------------------------------------
HTTPS = env_bool("HTTPS")  # set when served behind TLS
# Reverse proxies in front of the app servers (addresses or networks, e.g. 10.0.0.0/8).
# Only a request that arrives from one of them may tell us the client's address
# (X-Forwarded-For) and the scheme (X-Forwarded-Proto); anyone else's header is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "mailto:security@demo.duesseldorf.invalid")

# --- E-mail ---------------------------------------------------------------------
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Stadt Düsseldorf <noreply@demo.duesseldorf.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Authentication: passkeys only ----------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:signin"
# The WebAuthn relying party is the site's registrable domain. IP addresses cannot be
# one: the demo on 127.0.0.1 sends passkey pages to localhost.
WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "localhost")
WEBAUTHN_RP_NAME = os.environ.get("WEBAUTHN_RP_NAME", "Digitales Rathaus Düsseldorf")
# Pin the accepted origins in production (e.g. https://service.duesseldorf.de);
# empty means: the origin of the request, if its host is the RP ID or below it.
WEBAUTHN_ORIGINS = env_list("WEBAUTHN_ORIGINS")
# Official requests need a passkey with user verification this recently.
STEP_UP_SECONDS = int(os.environ.get("STEP_UP_SECONDS", "900"))
# Staff reads of personal data are kept this long, then may be deleted (never changed).
ACCESS_LOG_RETENTION_DAYS = 730

# --- Homepages (Wagtail, module sites) ---------------------------------------------
WAGTAIL_SITE_NAME = "Digitales Rathaus Düsseldorf"
# Links in e-mails and in the editor point here (the host the editors sign in on).
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# Editors sign in like all staff, with their passkey: no second password in the CMS.
# Pages are translated with wagtail-localize into the languages of the interface; a page keeps
# its address in every language (the language comes from the visitor's choice, as elsewhere).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A new translation starts as a draft; a second person publishes it (sites/translation.py).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
    "CLASS": "rathaus.sites.translation.MachineTranslator",
    "OPTIONS": {},
}
WAGTAILADMIN_LOGIN_URL = "accounts:staff_signin"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "sites/password_required.html"  # noqa: S105 – a template
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no calls home from the city's servers
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no staff e-mail hashes to a third party
# No background saving: a draft is saved when the editor says so, and a quick "submit" cannot
# race an autosave that has just created the same page (a duplicate slug, a 500).
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
WAGTAILADMIN_COMMENTS_ENABLED = False  # review talk happens in the workflow comments
# A reviewed page is published by the workflow, which checks the second person and the
# accessibility rules (sites/services.py) instead of the reviewer's publish permission.
WAGTAIL_FINISH_WORKFLOW_ACTION = "rathaus.sites.workflow.publish_reviewed"
# Uploaded originals stay private (MEDIA_ROOT); only resized renditions are public files.
WAGTAILIMAGES_RENDITION_STORAGE = "public_images"
STORAGES["public_images"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": VAR_DIR / "public", "base_url": "/medien/"},
}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = FILE_UPLOAD_MAX_BYTES
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "rathaus.sites.documents.DocumentForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "vtt", "mp4", "webm"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {
            "features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
        },
    }
}

# --- Logging and metrics ------------------------------------------------------------
# One JSON object per line on stdout (time, level, logger, message, request_id; for
# requests method, route, status, duration_ms, client_ip). LOG_FORMAT=plain gives lines
# for people reading a terminal (`LOG_FORMAT=plain make run`).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "rathaus.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "rathaus.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain" if LOG_FORMAT == "plain" else "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},  # its own log (page history) keeps who did what
        # Our request line replaces Django's "Not Found: /path" (a path may hold a token);
        # errors with their traceback stay.
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# /metrics answers a Prometheus that shows this bearer token, or comes from these networks;
# everyone else gets 404.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128")
# `rathaus serve` keeps the counters of its worker processes here (one folder per address
# it listens on, emptied at start), so that one scrape adds up all workers.
METRICS_DIR = Path(os.environ.get("METRICS_DIR") or VAR_DIR / "metrics")

# --- Programmes (courses, culture, staff training) ------------------------------
# How long a place offered from a waiting list is held for the person before it passes on.
# Kita fairness audit: a group's offer rate may differ from what the criteria explain by
# this much (0.05 = 5 percentage points) before it is flagged.
KITA_FAIRNESS_THRESHOLD = float(os.environ.get("KITA_FAIRNESS_THRESHOLD", "0.05"))
PROGRAMS_WAITLIST_CLAIM_HOURS = int(os.environ.get("PROGRAMS_WAITLIST_CLAIM_HOURS", "24"))

# Transparency log: the Ed25519 signing key in the signed-note format
# (PRIVATE+KEY+<name>+<id>+<key>, made by `rathaus ledger keygen`), from the environment or a
# file – never from the database. Without either, the embedded demo makes one under var/.
# LEDGER_PREVIOUS_KEYS lists the verifier keys of rotated-out signing keys (old checkpoints).
LEDGER_SIGNING_KEY = os.environ.get("LEDGER_SIGNING_KEY", "")
LEDGER_SIGNING_KEY_FILE = os.environ.get("LEDGER_SIGNING_KEY_FILE", "")
LEDGER_PREVIOUS_KEYS = env_list("LEDGER_PREVIOUS_KEYS")
# The log's name in checkpoints (C2SP origin line); by default the public host and path.
LEDGER_ORIGIN = os.environ.get("LEDGER_ORIGIN", "")
# Witnesses whose co-signatures the city shows: their verifier keys (C2SP cosignature/v1).
LEDGER_WITNESS_KEYS = env_list("LEDGER_WITNESS_KEYS")

# Open data: the secret behind the cell key method's record keys. It must stay the same for
# years (the same cell gets the same noise in every release); empty = derived from SECRET_KEY.
OPENDATA_CELL_KEY_SECRET = os.environ.get("OPENDATA_CELL_KEY_SECRET", "")

# --- Rathaus --------------------------------------------------------------------
RATHAUS = {
    # Where residents reach this installation; used for links in mails sent by the worker.
    "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://localhost:8000").rstrip("/"),
    "CITY_NAME": os.environ.get("CITY_NAME", "Landeshauptstadt Düsseldorf"),
    "CITY_SHORT_NAME": os.environ.get("CITY_SHORT_NAME", "Düsseldorf"),
    "DEMO_NOTICE": env_bool("DEMO_NOTICE", True),
    # Shows the mails written to var/mail/ at /demo/postfach/ (make run). Never in production.
    "DEMO_MAILBOX": env_bool("DEMO_MAILBOX", False) and not os.environ.get("EMAIL_HOST"),
    "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "rathaus@demo.duesseldorf.invalid"),
    "ACCESSIBILITY_EMAIL": os.environ.get(
        "ACCESSIBILITY_EMAIL", "barrierefreiheit@demo.duesseldorf.invalid"
    ),
    "CONTACT_PHONE": os.environ.get("CONTACT_PHONE", "0211 89-0 (Demo)"),
    # Where the published source code is read, e.g. https://code.example/rathaus/-/blob/main
    # (the algorithm register links each record's code and tests there; empty: paths only).
    "SOURCE_URL": os.environ.get("SOURCE_URL", ""),
    # The green-IT account (docs/monitor.md): how often each process writes the CPU and
    # database time it measured, and the figures that turn them into energy and CO₂.
    # ("off": only when asked, as in tests).
    "RESOURCE_FLUSH_SECONDS": (
        None
        if os.environ.get("RESOURCE_FLUSH_SECONDS") == "off"
        else float(os.environ.get("RESOURCE_FLUSH_SECONDS", "60"))
    ),
    "GREEN_IT": {
        # Electrical power of one fully busy CPU core of the app servers, in watts.
        "CPU_WATTS": float(os.environ.get("GREEN_CPU_WATTS", "12")),
        # The database server's power per second of query time, in watts (not counted on
        # SQLite: its work is already in the app servers' CPU time).
        "DB_WATTS": float(os.environ.get("GREEN_DB_WATTS", "12")),
        # Power usage effectiveness of the data centre (cooling, power supply).
        "PUE": float(os.environ.get("GREEN_PUE", "1.5")),
        # Share of renewable power in the electricity bought, 0 to 1, and its CO₂ factor.
        "RENEWABLE_SHARE": float(os.environ.get("GREEN_RENEWABLE_SHARE", "0.54")),
        "GRAMS_CO2_PER_KWH": float(os.environ.get("GREEN_GRAMS_CO2_PER_KWH", "363")),
        # A standard letter's postage (Deutsche Post, Standardbrief from 1 Jan 2025), and
        # the weight of one A4 sheet of 80 g/m² paper.
        "POSTAGE_EUR": os.environ.get("GREEN_POSTAGE_EUR", "0.95"),
        "SHEET_GRAMS": float(os.environ.get("GREEN_SHEET_GRAMS", "5")),
    },
    # The Wi-Fi map: the city's box (south-west and north-east corner, WGS 84) – places
    # outside it are refused as a typing error –, the district outlines (a static file;
    # the default is schematic, a city puts its official GeoJSON there) and, optionally,
    # a tile server such as OpenStreetMap's ("https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    # with "© OpenStreetMap-Mitwirkende"). Without tiles the map needs no other server.
    "MAP": {
        "BOUNDS": ((51.12, 6.67), (51.36, 6.95)),
        "OUTLINES": os.environ.get("MAP_OUTLINES", "offices/stadtbezirke-schematisch.geojson"),
        "TILES": os.environ.get("MAP_TILES", ""),
        "TILES_ATTRIBUTION": os.environ.get("MAP_TILES_ATTRIBUTION", ""),
    },
    # The council information system's OParl endpoint (/oparl/v1/): how its System object
    # names itself and whom app developers write to.
    "COUNCIL": {
        "SYSTEM_NAME": os.environ.get(
            "COUNCIL_SYSTEM_NAME", "Ratsinformationssystem Düsseldorf (Demo)"
        ),
        "CONTACT_NAME": os.environ.get("COUNCIL_CONTACT_NAME", "Büro des Rates (Demo)"),
        "CONTACT_EMAIL": os.environ.get(
            "COUNCIL_CONTACT_EMAIL", "ratsinfo@demo.duesseldorf.invalid"
        ),
    },
    "PARTICIPATION": {
        # Reports by this many residents hide a comment until the moderation has looked at it.
        "HIDE_AFTER_REPORTS": int(os.environ.get("PARTICIPATION_HIDE_AFTER_REPORTS", "3")),
        # Comments and replies one account may write per hour (against flooding).
        "COMMENTS_PER_HOUR": int(os.environ.get("PARTICIPATION_COMMENTS_PER_HOUR", "20")),
    },
}
