"""Settings for Destination Concierge.

Everything that differs between machines comes from the environment (see README, "Configuration").
With nothing set the project runs on embedded defaults: SQLite, Celery tasks run eagerly in-process
and the sandbox telephony backend. DEBUG is off unless asked for; with DEBUG off SECRET_KEY is
required and the deployment checks are clean.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

# The origin Twilio and browsers see, e.g. https://concierge.example.org. Webhook signatures are
# checked against URLs rebuilt from it, so a TLS-terminating proxy does not break validation.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
_public = urlsplit(PUBLIC_BASE_URL)
if _public.scheme not in ("http", "https") or not _public.hostname:
    raise ImproperlyConfigured("PUBLIC_BASE_URL must be an absolute http(s) origin.")

# Reverse proxies in front of the application (a load balancer, nginx): each appends the address
# it saw to X-Forwarded-For and sets X-Forwarded-Proto. With 0 (the default) no proxy header is
# believed: a client could write any address or scheme in them. Set it to the number of proxies
# that really stand between the Internet and gunicorn.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
if NUM_PROXIES < 0:
    raise ImproperlyConfigured("NUM_PROXIES must be 0 or more.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[_public.hostname, "localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = [f"{_public.scheme}://{_public.netloc}"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "phonenumber_field",
    "django_htmx",
    "concierge",
    "ambassadors",
    "calls",
]

MIDDLEWARE = [
    "concierge.lib.logcontext.RequestIdMiddleware",
    "concierge.lib.metrics.WebhookTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The web chat's panels polling while nothing changed: 304 before the rest (docs/webchat.md).
    "calls.webchat.middleware.PollShortcutMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Twilio's webhooks leave here, past what only pages need (docs/PERFORMANCE.md).
    "concierge.middleware.LeanWebhooks",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "concierge.middleware.SecurityHeadersMiddleware",
    "concierge.middleware.PrivateResponsesMiddleware",
]

ROOT_URLCONF = "concierge.urls"
WSGI_APPLICATION = "concierge.wsgi.application"
# WSGI middleware around Django's handler (concierge/wsgi.py), outermost first: the web chat's
# unchanged polls answered before the handler (docs/webchat.md).
WSGI_MIDDLEWARE = ["calls.webchat.wsgi.PollShortcut"]

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
                "concierge.rotas.context.notices",
                "calls.homes.context.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep connections open between requests: a Twilio webhook should not pay for a new PostgreSQL
# connection (several milliseconds) each time; a stale one is checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "concierge.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: e-mail is the login; it must be verified before anything else.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Destination Concierge] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _public.scheme
# Failed logins (web and API alike, see concierge.lib.logins) lock an account after 5 tries in 5
# minutes, and an address after 10 a minute: allauth's defaults, written out; kept in the cache.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ALLAUTH_TRUSTED_PROXY_COUNT = NUM_PROXIES
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "homes:home"
# After log-in, each role goes straight to its own home (calls.homes).
ACCOUNT_ADAPTER = "calls.homes.accounts.AccountAdapter"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Destination Concierge <hello@localhost>"
)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Availability and rotas are wall-clock times of the destination, whatever the server runs in.
# The database stores UTC (USE_TZ); pages show the destination's time.
DESTINATION_TIME_ZONE = env.str("DESTINATION_TIME_ZONE", default="Europe/Paris")
# The country whose public holidays the rotas know (ISO 3166 code, the `holidays` library).
DESTINATION_COUNTRY = env.str("DESTINATION_COUNTRY", default="FR")
TIME_ZONE = DESTINATION_TIME_ZONE

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DB_FORMAT = "E164"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's own JSON parser, except that a too deeply nested body is a 400, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "concierge.lib.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"auth": "20/minute", "phone": "10/minute"},
    # Throttles count per client address: the connection's, or the one our own proxies saw.
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Destination Concierge API",
    "DESCRIPTION": "The API behind the ambassadors' mobile app.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from our own static files: nothing is loaded from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two "status" fields with different choices: name each set after what it describes.
    "ENUM_NAME_OVERRIDES": {
        "ConversationStatusEnum": "calls.models.ConversationStatus",
        "MessageStatusEnum": "calls.models.MessageStatus",
        "MembershipStatusEnum": "ambassadors.models.MembershipStatus",
        "MyCommunityStatusEnum": ["", "pending", "approved", "refused"],
    },
}

# Celery: without a broker, tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TIMEZONE = "UTC"
# Queues by urgency (Procfile: the `urgent` worker serves the first, `worker` the others). A
# tourist or a local waits on "urgent"; points, notices and figures can wait a minute in
# "default"; hourly clean-ups run in "batch". A task not named here goes to "default".
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "calls.tasks.send_sms_message": {"queue": "urgent"},
    "calls.tasks.serve_callback_requests": {"queue": "urgent"},
    "calls.tasks.sweep_sms_conversations": {"queue": "urgent"},
    # Late, it costs the calls' walks a refresh each: with the calls, not behind reports.
    "ambassadors.tasks.refresh_queue_seats": {"queue": "urgent"},
    "calls.tasks.delete_old_recordings": {"queue": "batch"},
    "calls.tasks.delete_old_sms_texts": {"queue": "batch"},
    "calls.tasks.erase_old_numbers": {"queue": "batch"},
}

# Telephony: "twilio", "sandbox", "locmem" or a dotted path to a backend class.
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
# The environment may name a backend by its short name; the setting always holds its dotted
# path, as EMAIL_BACKEND does (the interface in concierge.lib knows no backend class).
TELEPHONY_BACKENDS = {
    "twilio": "calls.telephony.twilio.TwilioBackend",
    "sandbox": "calls.telephony.sandbox.SandboxBackend",
    "locmem": "calls.telephony.locmem.LocmemBackend",
}
_telephony = env.str(
    "TELEPHONY_BACKEND",
    default="twilio" if TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN else "sandbox",
)
TELEPHONY_BACKEND = TELEPHONY_BACKENDS.get(_telephony, _telephony)
# The number ambassadors receive service messages (verification codes) from.
TELEPHONY_DEFAULT_FROM = env.str("TELEPHONY_DEFAULT_FROM", default="+33199000000")

PHONE_CODE_TTL_MINUTES = 10
PHONE_CODE_MAX_ATTEMPTS = 5
PHONE_CODE_RESEND_SECONDS = 60

# Rate limits and throttles live here: with several web processes it must be shared (Redis,
# e.g. redis://127.0.0.1:6379/1), or each process allows the whole rate on its own.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Lines (with their community), motives, regions, the FAQ and blocked numbers are kept in each
# process and checked against a version in that cache this often: an edit is seen everywhere
# within a second.
READ_MOSTLY_CHECK_SECONDS = env.float("READ_MOSTLY_CHECK_SECONDS", default=0.5)
# Where Twilio's webhooks live: the views there marked lean (concierge.middleware.LeanWebhooks)
# skip the pages' middleware.
LEAN_PATH_PREFIXES = ["/calls/voice/", "/calls/sms/"]

# Production hardening, on whenever DEBUG is off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Only a proxy of ours may say the request came over HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if NUM_PROXIES else None
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (concierge.middleware): scripts, styles and everything else from our own
# origin only — htmx is one of our static files — and no inline script or style anywhere. A view
# that needs more says so with concierge.middleware.csp_allow (the API docs do). With DEBUG on the
# policy is only reported (browser console), so Django's debug pages keep working.
CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CSP_REPORT_ONLY = DEBUG
# Powerful browser features none of our pages uses: denied to them and to anything they embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# No phone number may reach a log line: every handler blanks whatever looks like one (a database
# error quoting a row, SQL parameters, a provider's refusal). Django's loggers write through the
# root's handler rather than their own, and the Celery worker keeps this configuration
# (concierge/celery.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_numbers": {"()": "concierge.lib.redaction.RedactNumbers"},
        "context": {"()": "concierge.lib.logcontext.AddContext"},
    },
    "formatters": {
        "text": {"format": "%(message)s"},
        "json": {"()": "concierge.lib.logcontext.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_numbers", "context"],
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
    },
}

# Prometheus metrics at /metrics/ for a scraper sending "Authorization: Bearer <token>"; off
# (404) while no token is set. docs/DEPLOY.md lists the metrics.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# Error tracking (optional): with SENTRY_DSN set, errors of web processes and Celery tasks are
# reported there, scrubbed of request bodies and phone numbers first (concierge.lib.errortracking).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from concierge.lib import errortracking

    errortracking.start(SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default="production"))

# The voice line.
CALL_RING_TIMEOUT = env.int("CALL_RING_TIMEOUT", default=20)  # seconds an ambassador's phone rings
CALL_MAX_ATTEMPTS = env.int("CALL_MAX_ATTEMPTS", default=4)  # ring groups (rounds) per call
CALL_TOTAL_RING_CAP = env.int("CALL_TOTAL_RING_CAP", default=120)  # s since the first ring
# A line ringing during the greeting rings its group staggered: the next phone only after this
# many seconds without a pick-up (at once when a phone stops ringing); 0: the group at once.
CALL_RING_STAGGER = env.int("CALL_RING_STAGGER", default=12)
CALL_MISSED_BEFORE_PAUSE = env.int("CALL_MISSED_BEFORE_PAUSE", default=3)  # in a row
CALL_RATE_LIMIT_PER_HOUR = env.int("CALL_RATE_LIMIT_PER_HOUR", default=5)  # calls per caller
# Callers who withhold their number share no per-number limit; this guards against a flood of
# them (all lines together, per hour).
CALL_WITHHELD_PER_HOUR = env.int("CALL_WITHHELD_PER_HOUR", default=60)

CELERY_BEAT_SCHEDULE = {
    "serve-callback-requests": {"task": "calls.tasks.serve_callback_requests", "schedule": 60.0},
}
RECORDING_RETENTION_DAYS = env.int("RECORDING_RETENTION_DAYS", default=30)
RECORDING_LINK_DAYS = env.int("RECORDING_LINK_DAYS", default=7)
CELERY_BEAT_SCHEDULE["delete-old-recordings"] = {
    "task": "calls.tasks.delete_old_recordings",
    "schedule": 60.0 * 60,
}

# The SMS relay.
SMS_IDLE_HOURS = env.int("SMS_IDLE_HOURS", default=24)  # a quiet conversation closes after this
SMS_ANSWER_MINUTES = env.int("SMS_ANSWER_MINUTES", default=10)  # unanswered: FAQ, another local
SMS_RETENTION_DAYS = env.int("SMS_RETENTION_DAYS", default=90)  # message texts are blanked after
SMS_MAX_OPEN_PER_LOCAL = env.int("SMS_MAX_OPEN_PER_LOCAL", default=3)  # open threads per local
# WhatsApp (docs/sms.md#whatsapp): the approved Content template (ContentSid, HX…) sent when a
# local answers a tourist whose 24-hour window has closed, by language: "en=HX…,fr=HX…" (the
# tourist's language, else English, else the first). Empty: the reply waits, with no notice.
WHATSAPP_TEMPLATE_LOCAL_ANSWERED = env.dict("WHATSAPP_TEMPLATE_LOCAL_ANSWERED", default={})
WHATSAPP_HOLD_DAYS = env.int("WHATSAPP_HOLD_DAYS", default=7)  # a held reply fails after this
CELERY_BEAT_SCHEDULE["sweep-sms-conversations"] = {
    "task": "calls.tasks.sweep_sms_conversations",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["delete-old-sms-texts"] = {
    "task": "calls.tasks.delete_old_sms_texts",
    "schedule": 60.0 * 60,
}

# The web chat on tourist offices' sites (calls.webchat, docs/webchat.md): a visitor's signed
# token lives this many hours; the first message carries a proof of work of this many zero bits;
# a reply unread this many seconds goes to the e-mail address the visitor left; limits are
# (requests, seconds) per client address ("*_ip") or per visitor's token ("*_token").
WEBCHAT_TOKEN_HOURS = env.int("WEBCHAT_TOKEN_HOURS", default=24)
WEBCHAT_POW_BITS = env.int("WEBCHAT_POW_BITS", default=14)
WEBCHAT_POLL_SECONDS = env.float("WEBCHAT_POLL_SECONDS", default=1.5)
WEBCHAT_MAIL_AFTER_SECONDS = env.int("WEBCHAT_MAIL_AFTER_SECONDS", default=90)
WEBCHAT_LIMITS: dict[str, tuple[int, int]] = {
    "start_ip": (30, 3600),
    "write_ip": (40, 60),
    "write_token": (8, 60),
    "poll_token": (150, 60),
}
CELERY_BEAT_SCHEDULE["mail-unread-web-chats"] = {
    "task": "calls.tasks.mail_unread_web_chats",
    "schedule": 60.0,
}

# What callers thought (calls.ratings, docs/sms.md): one text after a call of at least this long
# or a text conversation a local answered; its answer is awaited this many hours, and a comment
# after the score this many minutes.
RATING_MIN_CALL_SECONDS = env.int("RATING_MIN_CALL_SECONDS", default=60)
RATING_ANSWER_HOURS = env.int("RATING_ANSWER_HOURS", default=24)
RATING_COMMENT_MINUTES = env.int("RATING_COMMENT_MINUTES", default=60)

# Phone numbers (calls.privacy, docs/PRIVACY.md): in clear only while a text must still be sent to
# them; pseudonymised this many days after the call, the end of the conversation or the text.
PHONE_NUMBER_RETENTION_DAYS = env.int("PHONE_NUMBER_RETENTION_DAYS", default=1)
CELERY_BEAT_SCHEDULE["erase-old-numbers"] = {
    "task": "calls.tasks.erase_old_numbers",
    "schedule": 60.0 * 60,
}

# The line's figures (calls.figures): each call and conversation is counted when it ends; this
# counts what ended while the broker was away.
CELERY_BEAT_SCHEDULE["count-ended-in-figures"] = {
    "task": "calls.tasks.count_ended_in_figures",
    "schedule": 60.0 * 10,
}

# Reward points (ambassadors.points): pending awards become ledger entries; beat catches up.
CELERY_BEAT_SCHEDULE["award-pending-points"] = {
    "task": "ambassadors.tasks.award_points",
    "schedule": 60.0,
}
# The calls queue (ambassadors.models.StaleSeats): the seats a claim left behind, every minute.
CELERY_BEAT_SCHEDULE["refresh-queue-seats"] = {
    "task": "ambassadors.tasks.refresh_queue_seats",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["award-monthly-bonus"] = {
    "task": "ambassadors.tasks.award_monthly_bonus",
    "schedule": 60.0 * 60 * 24,
}

# Shared rotas (concierge.rotas): reminders before shifts, and a daily notice of the gaps.
ROTA_REMINDER_HOURS = env.int("ROTA_REMINDER_HOURS", default=3)
CELERY_BEAT_SCHEDULE["send-shift-reminders"] = {
    "task": "concierge.tasks.send_shift_reminders",
    "schedule": 60.0 * 5,
}
CELERY_BEAT_SCHEDULE["notify-uncovered-shifts"] = {
    "task": "concierge.tasks.notify_uncovered_shifts",
    "schedule": 60.0 * 60 * 24,
}
# Notices (concierge.rotas.notices): today's empty seats within this many hours, every half
# hour; notices a broker outage kept from going out, every ten minutes.
ROTA_EMPTY_SEAT_HOURS = env.int("ROTA_EMPTY_SEAT_HOURS", default=12)
CELERY_BEAT_SCHEDULE["notify-empty-seats"] = {
    "task": "concierge.tasks.notify_empty_seats",
    "schedule": 60.0 * 30,
}
CELERY_BEAT_SCHEDULE["resend-notices"] = {
    "task": "concierge.tasks.resend_notices",
    "schedule": 60.0 * 10,
}
