"""Settings of the IMPLAN portal, read from the environment.

With nothing set the portal runs on an SQLite file in the project folder, so a newcomer can try it at once;
``DEBUG`` is off unless set, so a server that forgets it does not show tracebacks (``bin/start`` and ``bin/test``
turn it on for a developer's machine). Production and the test suite set ``DATABASE_URL`` to PostgreSQL.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from implan.env import email_config, env_bool, env_list, env_str, open_data_licence, tile_sources

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY no está definida. Con DEBUG desactivado (lo normal fuera de bin/start) el portal necesita "
            "una clave secreta: exporte SECRET_KEY con un valor largo y aleatorio (por ejemplo, el resultado de "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`). En su propia máquina, para probar, "
            "basta DEBUG=1."
        )
    # Only for local development: a fixed, obviously insecure key.
    SECRET_KEY = "django-insecure-solo-para-desarrollo-local"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTITUTE_NAME = env_str("INSTITUTE_NAME", default="Instituto Municipal de Planeación de León")
INSTITUTE_SHORT_NAME = env_str("INSTITUTE_SHORT_NAME", default="IMPLAN León")
MUNICIPALITY_NAME = env_str("MUNICIPALITY_NAME", default="León, Guanajuato")
MUNICIPALITY_SHORT_NAME = env_str("MUNICIPALITY_SHORT_NAME", default="León")
# The one licence of every open-data file (Mexico's open-data licence by default): the /datos/ page, every data
# package, the OC4IDS and Popolo files and the Link header of every download (implan.licence). Libre Uso MX has no
# Open Definition identifier; "Libre-Uso-MX" is the identifier-shaped name Frictionless requires.
OPEN_DATA_LICENCE = open_data_licence(
    name=env_str("OPEN_DATA_LICENCE_NAME", default="Libre-Uso-MX"),
    title=env_str("OPEN_DATA_LICENCE_TITLE", default="Libre Uso MX"),
    url=env_str("OPEN_DATA_LICENCE_URL", default="https://www.datos.gob.mx/libreusomx"),
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    "import_export",
    "axes",
    "django_htmx",  # its htmx_script tag serves the vendored htmx (static files, no CDN)
    "implan",
    "indicators",
    "councils",
    "planning",
    "projects",
    "consultations",
    # The site layer above the apps (home, search, feed, open data, demo loader): last, as it composes them all.
    "implan.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ETag on every response and 304 for a matching If-None-Match / If-Modified-Since.
    "django.middleware.http.ConditionalGetMiddleware",
    # Before anything reads the body: no request, upload or not, may exceed MAX_REQUEST_BYTES.
    "implan.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Renews the session's idle expiry at most once a minute (SessionMiddleware above saves it).
    "implan.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the size cap (it reads the body) and the language (its 400 page is translated), before any view.
    "implan.middleware.ControlCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The logged-in user's roles read once per request, however many checks the page makes.
    "implan.middleware.RequestRolesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Anonymous visitors' public pages from the cache (implan.cache), after the user and language are known.
    "implan.cache.PublicPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "implan.middleware.PortalCSPMiddleware",
    # Records the acting user on every django-simple-history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "implan.urls"

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
                "implan.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "implan.wsgi.application"

# A shared cache (Redis) when REDIS_URL is set — required with several app servers so that they all see content
# changes at once; local memory otherwise (the single-process default run).
REDIS_URL = env_str("REDIS_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "implan"}
}
# Several portals (staging and production, or several institutes) may share one Redis: each its own prefix.
CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", default="")
# How long a public page may stay cached; any content change invalidates it at once anyway. 0 turns caching off.
PUBLIC_PAGE_CACHE_SECONDS = int(env_str("PUBLIC_PAGE_CACHE_SECONDS", default="600"))
# The same, for fragments that cost queries and show only published content ({% content_cache %}), which every visitor
# gets, logged in or not; any content change invalidates them at once too. 0 builds them on every request.
FRAGMENT_CACHE_SECONDS = int(env_str("FRAGMENT_CACHE_SECONDS", default="600"))

# Public consultation (consultations/): the kinds of instrument that cannot be sent to approval before the report of
# their consultation is published (plan, diagnostico, programa, programa-de-gobierno; comma-separated, none by default),
# and the limits on comments sent through the portal.
CONSULTATION_REQUIRED_FOR = env_list("CONSULTATION_REQUIRED_FOR", default=[])
CONSULTATION_COMMENTS_PER_ADDRESS = int(env_str("CONSULTATION_COMMENTS_PER_ADDRESS", default="10"))
CONSULTATION_COMMENTS_PER_SESSION = int(env_str("CONSULTATION_COMMENTS_PER_SESSION", default="5"))
CONSULTATION_RATE_WINDOW_SECONDS = 60 * 60
# A subscription's confirmation link expires after this many seconds (seven days).
SUBSCRIPTION_CONFIRM_MAX_AGE = 7 * 24 * 60 * 60
# A person needs some seconds to read a section and write; a form sent faster is a robot's.
CONSULTATION_MIN_SECONDS = int(env_str("CONSULTATION_MIN_SECONDS", default="5"))

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_bool("DB_PERSISTENT", default=False) and 600 or 0,
        # A kept connection the database has dropped (a restart, a failover) is replaced before a request uses it.
        conn_health_checks=env_bool("DB_PERSISTENT", default=False),
    )
}
_postgresql = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if _postgresql and env_bool("DB_PREPARED_STATEMENTS", default=True):
    # Parameters sent apart from the SQL, so that psycopg can have PostgreSQL prepare a query the second time the same
    # connection runs it: the plan is then reused instead of made again. Pages repeat the same queries with other
    # values, and planning a query with many joins costs more than running it (the project page's: 5.7 ms against
    # 0.9 ms). Turn off (DB_PREPARED_STATEMENTS=0) behind a pooler in transaction mode that does not keep prepared
    # statements (PgBouncer before 1.21, or later ones with max_prepared_statements = 0, their default before 1.24).
    # Prepared plans live as long as a kept connection: restart the app servers after `migrate`, as for any release.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username+address is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading each request's user with its roles in one query. Refuses inactive users, so a
    # deactivated account is logged out on its next request.
    "implan.backends.RequestUserBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# django-guardian's anonymous user is not used: the public site shows published content without permissions.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Login throttling and sessions ---------------------------------------------------------------------------
# Failures are counted per username *and* address: someone elsewhere cannot lock a member out of their account.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(env_str("PROXY_COUNT", default="0")) or None
SESSION_COOKIE_AGE = int(env_str("SESSION_IDLE_MINUTES", default="30")) * 60
# With the shared cache, each request reads its session from Redis instead of the database (writes go to both, so a
# flushed Redis loses nothing); a local-memory cache is one process's, so without Redis sessions stay in the database.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The age counts from the last request (sessions expire after inactivity), renewed at most once a minute rather than
# written on every request (implan.middleware.SessionIdleRefreshMiddleware).
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "implan:workspace"
LOGOUT_REDIRECT_URL = "implan:home"

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Español")), ("en", _("English"))]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True
CURRENCY = "MXN"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files ("default": the evidence of project progress, served only through a view that checks who asks)
# on the local disk under MEDIA_ROOT; static files compressed by WhiteNoise and served by the portal itself.
# Uploads move to an S3-compatible store by changing the "default" entry alone (docs/operations.md); several app
# servers need that, or one MEDIA_ROOT shared between them.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The ceiling of any request body, uploads included (features set smaller limits of their own).
MAX_REQUEST_BYTES = int(env_str("MAX_REQUEST_MB", default="30")) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "implan.uploads.SizeCappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# --- Indicator files loaded in the workspace (indicators.jobs) -----------------------------------------------
INDICATOR_IMPORT_MAX_BYTES = int(env_str("INDICATOR_IMPORT_MAX_MB", default="20")) * 1024 * 1024
# An XLSX is a zip: refuse one that would unpack to more than this (a "zip bomb") before opening it.
INDICATOR_IMPORT_MAX_XLSX_BYTES = int(env_str("INDICATOR_IMPORT_MAX_XLSX_MB", default="200")) * 1024 * 1024
# The municipality the portal serves (its INEGI key, or its code in the portal); empty: the first one recorded.
HOME_TERRITORY_CODE = env_str("HOME_TERRITORY_CODE", default="11020")
# Territory catalogues (indicators.territories): INEGI's national locality catalogue is ~60 MB as CSV, ~10 MB as the
# zip INEGI publishes; both are accepted, within the request ceiling (MAX_REQUEST_MB).
TERRITORY_IMPORT_MAX_BYTES = int(env_str("TERRITORY_IMPORT_MAX_MB", default="30")) * 1024 * 1024
# The task running a job signals life at least this often; four missed signals (a minute) and the job is marked
# interrupted, to be retried or discarded (indicators.jobs).
INDICATOR_IMPORT_HEARTBEAT_SECONDS = float(env_str("INDICATOR_IMPORT_HEARTBEAT_SECONDS", default="15"))

# --- Background work: Django's Tasks API (the django-tasks backport until Django 6), behind implan.tasks ------
# "database" (default): tasks wait in a table of the portal's own database (SQLite or PostgreSQL, no other service)
# and `manage.py db_worker` runs them (bin/start starts one). "rq": tasks wait in Redis (REDIS_URL) and
# `manage.py rqworker --job-class django_tasks_rq.Job <TASKS_QUEUE>` runs them, on as many machines as wanted.
TASKS_BACKEND = env_str("TASKS_BACKEND", default="database")
# One Redis may serve several portals (an institute each): each names its own queue.
TASKS_QUEUE = env_str("TASKS_QUEUE", default="default")
if TASKS_BACKEND not in {"database", "rq"}:
    raise ImproperlyConfigured(f"TASKS_BACKEND debe ser «database» o «rq»; vale {TASKS_BACKEND!r}.")
if TASKS_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("TASKS_BACKEND=rq necesita REDIS_URL (por ejemplo redis://127.0.0.1:6379/0).")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_rq.RQBackend" if TASKS_BACKEND == "rq" else "django_tasks_db.DatabaseBackend",
        "QUEUES": [TASKS_QUEUE],
    }
}
# django-rq's connection for the RQ backend. An import of 100,000 rows takes seconds; an hour is the ceiling for
# any task before RQ gives it up (RQ's default, three minutes, is too short for what may come: report PDFs).
RQ_QUEUES = {TASKS_QUEUE: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}
INSTALLED_APPS += ["django_tasks", "django_tasks_db", *(["django_rq"] if TASKS_BACKEND == "rq" else [])]
# A job (an indicator load, an admin import) still waiting for a worker after this long lost its task (the process
# died between its commit and the enqueue, or the queue's store lost it): `manage.py mark_stalled_jobs` hands it to
# the queue again. Longer than any honest backlog, so that a busy queue is not filled with copies.
TASKS_REQUEUE_AFTER_SECONDS = int(env_str("TASKS_REQUEUE_AFTER_SECONDS", default="600"))

# --- E-mail: sent only by the send_email task (implan.mail), through Django's SMTP backend ------------------------
# One URL names the server (implan.env.email_config): smtp+tls://user:password@host:587, smtps://…, smtp://host:25,
# or console:// (printed). Without it: printed on a developer's machine (DEBUG), a relay on this machine otherwise.
EMAIL = email_config(env_str("EMAIL_URL", default="console://" if DEBUG else "smtp://localhost:25"))
EMAIL_BACKEND = EMAIL.backend
EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT = EMAIL.host, EMAIL.port, EMAIL.timeout
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = EMAIL.user, EMAIL.password
EMAIL_USE_TLS, EMAIL_USE_SSL = EMAIL.use_tls, EMAIL.use_ssl
# The institute's own sender, and where answers go (e.g. the secretary's office), separated by commas.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default=f"{INSTITUTE_SHORT_NAME} <no-responder@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_REPLY_TO = env_list("EMAIL_REPLY_TO", default=[])
# The portal's address as people reach it: the links in e-mails (composed outside any request) start with it.
PORTAL_URL = env_str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Readiness (/salud/lista/, implan.readiness) ------------------------------------------------------------------
# The task engine's probe of its queue: a dotted path to a function returning the oldest waiting task's age (None
# when nothing waits), on whichever backend TASKS_BACKEND chose.
READINESS_QUEUE_PROBE = "implan.tasks.oldest_waiting_task_age"
# A task waiting longer than this is reported as a warning ("avisos": ["cola de tareas"]).
READINESS_QUEUE_LAG_SECONDS = int(env_str("READINESS_QUEUE_LAG_SECONDS", default="300"))

# --- Security headers ------------------------------------------------------------------------------------------
# No inline script or style on the portal's own pages; the Django admin gets a relaxed policy
# (see implan.middleware.PortalCSPMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + env_list("CSP_IMG_EXTRA", default=[]),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# --- Project portfolio (projects app) ---------------------------------------------------------------------------
# Base map of the public project map: any XYZ tile server ({s} subdomains allowed). Empty: no base map, the
# markers, the list and the table still work (e.g. offline).
MAP_TILE_URL = env_str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# The default is in the catalogue (gettext_noop) so that the map shows it in the reader's language.
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    default=gettext_noop('© <a href="https://www.openstreetmap.org/copyright">colaboradores de OpenStreetMap</a>'),
)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += tile_sources(MAP_TILE_URL)
# The municipality's bounding box as south,west,north,east (WGS84). Project coordinates outside it are refused.
# Default: León, Guanajuato, with a small margin around INEGI's municipal boundary.
MUNICIPALITY_BBOX = tuple(
    float(v) for v in env_list("MUNICIPALITY_BBOX", default=["20.85", "-101.90", "21.38", "-101.35"])
)
# Prefix of the OC4IDS project identifiers (register one with the Open Contracting Partnership for production).
OC4IDS_PREFIX = env_str("OC4IDS_PREFIX", default="oc4ids-implan-leon")
# Largest evidence file (photo or PDF) a progress report accepts.
EVIDENCE_MAX_BYTES = int(float(env_str("EVIDENCE_MAX_MB", default="5")) * 1024 * 1024)
# Largest document (PDF, XLSX, DOCX, image) a secretary attaches to an agenda point.
AGENDA_DOCUMENT_MAX_BYTES = int(float(env_str("AGENDA_DOCUMENT_MAX_MB", default="20")) * 1024 * 1024)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    # Production: HTTPS only. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer probes each app server over plain HTTP: a redirect would read as "down". Both checks carry
    # nothing private.
    SECURE_REDIRECT_EXEMPT = [r"^salud/"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", default=str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; failures and lockouts (WARNING) are what an operator needs.
    "loggers": {"axes": {"level": "WARNING"}},
}
WHITENOISE_USE_FINDERS = True  # serve from the app folders too, so no collectstatic is needed to try the portal

# --- Transparency obligations (/transparencia/, implan.portal.transparency) -----------------------------------------
# The law the pages cite, and each obligation's article and fraction in it: a reform of the law is a change here, not
# in code. The default is the Ley General de Transparencia y Acceso a la Información Pública published in the DOF on
# 20 March 2025 (it replaced the 2015 law). Its common obligations are article 65, NOT numbered as article 70 of the
# 2015 law was: 2015's fraction VI (results indicators) has no fraction of its own (so the directorio is VI) and
# servicios and trámites share one (so the budget is XIX, not XXI). Checked on 4 December 2026 against official
# sources that apply the 2025 law, not against the DOF text itself: Oaxaca's state transparency law (art. 70: the common
# obligations «a las que se refiere el artículo 65 de la Ley General»), the transparency pages of the Poder Judicial del
# Estado de Coahuila (github.com/PJECZ/pjecz.github.io, transparencia/articulo-65-ltaip/, validated 10 October 2025),
# which quote each fraction's words, and Oaxaca's finance office citing «artículo 65, fracción X» for the contracts of
# servicios profesionales por honorarios (XI in 2015). Still unverified («# unverified» below): which fraction carries
# the results indicators, and the article and fractions of the municipalities' specific obligations (plan de
# desarrollo; actas de cabildo with attendance and votes), taken to be article 66 in the order of the 2015 article 71.
# Check them against the DOF (and Guanajuato's state law, which municipal portals may cite instead: set
# TRANSPARENCY_LAW and these numbers together) before relying on them. Sources: planning/data/conac/README.md.
TRANSPARENCY_LAW = env_str(
    "TRANSPARENCY_LAW",
    default="Ley General de Transparencia y Acceso a la Información Pública (DOF 20 de marzo de 2025)",
)
# key → article, fraction (roman, with its inciso when there is one) and the area the PNT format names as responsible.
TRANSPARENCY_OBLIGATIONS: dict[str, dict[str, str]] = {
    "plan": {"article": "66", "fraction": "I, inciso a)", "area": "Instituto Municipal de Planeación"},  # unverified
    # «Las metas y objetivos de las áreas de conformidad con sus programas operativos» (PJECZ, art. 65 fr. IV).
    "metas": {"article": "65", "fraction": "IV", "area": "Instituto Municipal de Planeación"},
    # VI is now the directorio; V («indicadores relacionados con temas de interés público o trascendencia social») is
    # the only indicators fraction left in the reproduced list — whether it also carries the results indicators (VI
    # in 2015) is not confirmed.
    "indicadores": {"article": "65", "fraction": "V", "area": "Instituto Municipal de Planeación"},  # unverified
    # «La información financiera sobre el presupuesto asignado, así como los informes del ejercicio trimestral del
    # gasto» (PJECZ, art. 65 fr. XIX).
    "presupuesto": {"article": "65", "fraction": "XIX", "area": "Tesorería Municipal"},
    # «Las actas de sesiones ordinarias y extraordinarias, así como las opiniones y recomendaciones que, en su caso,
    # emitan los consejos consultivos» (PJECZ, art. 65 fr. XLIV).
    "consejo": {"article": "65", "fraction": "XLIV", "area": "Secretaría Técnica del Consejo Consultivo de Planeación"},
    "cabildo": {"article": "66", "fraction": "II, inciso b)", "area": "Secretaría del H. Ayuntamiento"},  # unverified
}
