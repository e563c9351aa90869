"""Settings shared by every environment.

Everything that differs between a laptop and a council's server comes from the
environment (one ``env`` object), so the same code runs in both. Local defaults
are safe: a SQLite file and a generated secret key kept in a data folder, and
email written to files, so ``make run`` needs nothing else on a fresh machine.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import environ
from csp.constants import NONCE

from community_insights.safety import DEFAULT_THRESHOLD

from .object_storage import file_storage

env = environ.Env()

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # .../community_insights/portal
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(str(Path.cwd() / ".env"))

# Where the portal keeps its own files when nothing else is configured:
# the SQLite database, the generated secret key, sent emails, uploaded files.
DATA_DIR = Path(env("INSIGHTS_DATA_DIR", default=str(Path.cwd() / "var"))).resolve()
# Private: only the portal's own account may read what it keeps here (see core.private_files).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700


def _generated_secret(name: str) -> str:
    """A random secret created once and kept in the data folder (local use only), readable by us alone."""
    DATA_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = DATA_DIR / name
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # never readable by others, even briefly
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        tmp.replace(path)
    return path.read_text().strip()


DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default=None) or _generated_secret("secret-key")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
]
LOCAL_APPS = [
    "community_insights.portal.core",
    "community_insights.portal.people",
    "community_insights.portal.signin",
    "community_insights.portal.programme",
    "community_insights.portal.projects",
    "community_insights.portal.datasets",
    "community_insights.portal.ideas",
    "community_insights.portal.selection",
    "community_insights.portal.governance",
    "community_insights.portal.solutions",
    "community_insights.portal.outputs",
    "community_insights.portal.sharing",
    "community_insights.portal.reflections",
    "community_insights.portal.actions",
    "community_insights.portal.export",
    "community_insights.portal.guide",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
    "community_insights.portal.signin.middleware.RequireTwoStepMiddleware",
    "community_insights.portal.core.middleware.AuditRequestMiddleware",
    "community_insights.portal.programme.current.CurrentProgrammeMiddleware",
]

ROOT_URLCONF = "community_insights.portal.config.urls"
WSGI_APPLICATION = "community_insights.portal.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "community_insights.portal.core.context_processors.branding",
            ],
            "builtins": ["community_insights.portal.core.templatetags.insights_text"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'insights.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # services own their transactions
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "projects:project_list"
LOGOUT_REDIRECT_URL = "programme:landing"

# django-allauth: email login, invitation-only (no public sign-up), MFA available.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "community_insights.portal.people.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_FORMS = {"login": "community_insights.portal.signin.forms.PasswordSignInForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("INSIGHTS_SERVICE_NAME", default="Community Insights")
# Local accounts of programme staff and information rights officers must set up an authenticator
# app before anything else (signin.two_step); turning this off is for the test suite only.
INSIGHTS_REQUIRE_TWO_STEP = env.bool("INSIGHTS_REQUIRE_TWO_STEP", default=True)

# Council sign-in through OpenID Connect (Microsoft Entra ID or any standard provider). Programme
# staff configure each provider in the portal (signin.SignInProvider); the email domain chooses it.
# Accounts still come only from invitations: the adapter refuses anyone without one.
SOCIALACCOUNT_ADAPTER = "community_insights.portal.signin.adapters.InvitedSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_STORE_TOKENS = False  # the portal never calls the provider's APIs after sign-in
SOCIALACCOUNT_LOGIN_ON_GET = False  # a sign-in starts only from the portal's own form (a POST)
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}

# django-axes: lock out repeated failed sign-ins for one email address from one client address
# (both together, so someone guessing other names cannot lock a real user out), with the name
# and address taken by core.clients. Behind a reverse proxy, list it in INSIGHTS_TRUSTED_PROXIES
# (addresses or networks): only then is its X-Forwarded-For header believed.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_VERBOSE = False
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "community_insights.portal.core.clients.sign_in_name"
AXES_CLIENT_IP_CALLABLE = "community_insights.portal.core.clients.client_address"
INSIGHTS_TRUSTED_PROXIES = env.list("INSIGHTS_TRUSTED_PROXIES", default=[])
# allauth's own limit on failed sign-ins counts per client address only: its default also counts
# per email address alone, which lets anyone anywhere keep a named person out. Per name, the
# lockout above counts (name and address together).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}

# The cache holds allauth's rate limits (password reset, sign-in): in the database, or in Redis
# when REDIS_URL is set, so every web worker process counts against the same limit.
if env("REDIS_URL", default=""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "insights_cache"}}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "files")},
    },
    "staticfiles": {"BACKEND": "community_insights.portal.core.storage.GzipManifestStaticFilesStorage"},
}
# Encrypted dataset files, safe copies and exports: a private folder in the data folder unless
# INSIGHTS_FILE_STORAGE says azure or s3 (object storage shared by several machines, docs/scaling.md).
_FILE_STORAGE = file_storage(env)
if _FILE_STORAGE is not None:
    STORAGES["datasets"] = _FILE_STORAGE
# GOV.UK Frontend's script and htmx come from npm (node_modules at the repo root); only
# the few files the portal uses are served (core.staticfinders), never whole dist folders.
_REPO_NODE_MODULES = PACKAGE_DIR.parents[2] / "node_modules"  # a source checkout (pip install -e)
NODE_MODULES = Path(
    env(
        "INSIGHTS_NODE_MODULES",
        default=str(Path.cwd() / "node_modules" if (Path.cwd() / "node_modules").exists() else _REPO_NODE_MODULES),
    )
)
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "community_insights.portal.core.staticfinders.VendorFinder",
]
# The site's public address, put in links of emails (invitations, office hours reminders) when
# there is no request to take it from. Empty means the address of a laptop running `make run`.
INSIGHTS_BASE_URL = env("INSIGHTS_BASE_URL", default="")

# Email: written to files by default so nothing leaves a laptop by accident.
# Files are 0600 in a 0700 folder: an invitation email holds a link that signs someone in.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="community_insights.portal.core.private_files.PrivateFileEmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "sent-emails"
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Community Insights <insights@localhost>")

# Background work (scans, exports, emails): django-tasks with the database backend,
# which needs no extra server; set TASKS_BACKEND=rq (with REDIS_URL, and the `rq` extra installed)
# when one machine is not enough: `insights worker` then starts an RQ worker on any machine.
if env("TASKS_BACKEND", default="database") == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # RQ stops a task that runs longer than its timeout; a check of a large file may take hours.
    RQ_QUEUES = {
        "default": {
            "URL": env("REDIS_URL", default="redis://127.0.0.1:6379/0"),
            "DEFAULT_TIMEOUT": env.int("INSIGHTS_TASK_TIMEOUT_SECONDS", default=6 * 3600),
        }
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# True when background workers run elsewhere (`insights worker` on other machines or services):
# `insights serve` then starts no worker of its own and leaves finding killed workers' jobs to them.
INSIGHTS_WORKERS_ELSEWHERE = env.bool("INSIGHTS_WORKERS_ELSEWHERE", default=False)

# Dataset jobs: a worker beats every INSIGHTS_JOB_HEARTBEAT_SECONDS while it works; a running job
# silent for INSIGHTS_JOB_STALE_SECONDS is restarted (its worker died), which `insights serve`
# looks for every INSIGHTS_JOB_RECOVERY_SECONDS.
INSIGHTS_JOB_HEARTBEAT_SECONDS = env.float("INSIGHTS_JOB_HEARTBEAT_SECONDS", default=10.0)
INSIGHTS_JOB_STALE_SECONDS = env.int("INSIGHTS_JOB_STALE_SECONDS", default=120)
INSIGHTS_JOB_RECOVERY_SECONDS = env.float("INSIGHTS_JOB_RECOVERY_SECONDS", default=60.0)

# Security by default.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
INSIGHTS_UPLOAD_MAX_BYTES = env.int("INSIGHTS_UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)
# django-csp 4 swaps its NONCE sentinel for a fresh 'nonce-…' value on every response that used
# request.csp_nonce; the literal string "'nonce'" would be sent as-is and block every inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The council's own branding: name, logo and colours (no crown, no GDS Transport font).
INSIGHTS_BRANDING = {
    "council_name": env("INSIGHTS_COUNCIL_NAME", default="Northmoor Borough Council"),
    "service_name": env("INSIGHTS_SERVICE_NAME", default="Community Insights"),
    "logo_path": env("INSIGHTS_LOGO_PATH", default="core/council-logo.svg"),
    "brand_colour": env("INSIGHTS_BRAND_COLOUR", default="#1d4f5c"),
    "link_colour": env("INSIGHTS_LINK_COLOUR", default="#1d70b8"),
}
# Programmes on their own domains: "insights.riverdale.gov.uk=riverdale,..." (host=programme slug).
# Each host must be in DJANGO_ALLOWED_HOSTS too; other hosts use the session's or the first programme.
INSIGHTS_PROGRAMME_DOMAINS = {
    host.strip().lower(): slug.strip()
    for host, _, slug in (item.partition("=") for item in env.list("INSIGHTS_PROGRAMME_DOMAINS", default=[]))
    if host.strip() and slug.strip()
}
# Disclosure control: the programme's minimum group size for anything published.
INSIGHTS_DISCLOSURE_THRESHOLD = env.int("INSIGHTS_DISCLOSURE_THRESHOLD", default=DEFAULT_THRESHOLD)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_refusal_tracebacks": {"()": "community_insights.portal.core.log_filters.NoTracebackForRefusals"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_refusal_tracebacks"]}
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
