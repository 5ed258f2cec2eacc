"""Default settings; each can be overridden in instance/config.py or as CORTILE_<KEY>."""

VERSION = "0.1.0"

DEFAULTS = {
    # Paths default to the instance folder; see create_app.
    "DATABASE": None,
    "PHOTOS_DIR": None,
    "SECRET_KEY": None,
    # Sessions: a working day by default; "remember me" keeps a field phone signed in.
    "SESSION_LIFETIME_HOURS": 12,
    "REMEMBER_DAYS": 14,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # The cookie is sent again only when the session changes. Re-sent on every response, a request in flight
    # (the service worker's update check, a live search) put back the cookie it left with, and a message
    # flashed meanwhile ("Patto registrato") was lost. The session's end is kept by the server (SESSION_LIFETIME_HOURS).
    "SESSION_REFRESH_EACH_REQUEST": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # Served over HTTPS: secure cookies, HSTS (forwarded headers: see TRUSTED_PROXIES).
    "HTTPS": False,
    # Pages and JSON compressed by the app (brotli or gzip) for the browser's own requests; off when a
    # proxy in front compresses them (static files are precompressed by `make setup` either way).
    "COMPRESS_PAGES": True,
    # Login throttling: this many failures within the window throttle a username from one address.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_WINDOW_MINUTES": 15,
    "LOGIN_LOCKOUT_MINUTES": 15,
    # Requests: room for five phone photos of 15 MB each plus the form.
    "MAX_CONTENT_LENGTH": 80 * 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
    "PHOTO_MAX_BYTES": 15_000_000,
    "PHOTO_MAX_PIXELS": 50_000_000,
    # Memory a photo's decode may take (MiB), estimated before decoding; it bounds decode time too.
    "PHOTO_DECODE_BUDGET_MB": 200,
    # Registry and field work.
    "PAGE_SIZE": 25,
    "VISIT_STALE_DAYS": 90,
    "REPORT_FAR_METRES": 150,
    "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "TILE_ATTRIBUTION": "&copy; OpenStreetMap contributors",
    # Language: Italian by default, English available.
    "LANGUAGES": ["it", "en"],
    "BABEL_DEFAULT_LOCALE": "it",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Rome",
    "WTF_CSRF_TIME_LIMIT": None,
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (Werkzeug's
    # ProxyFix hop count). 0: the headers are ignored, the address is the connecting peer's.
    "TRUSTED_PROXIES": 0,
    # Throttling also counts per address (any username): room for a shared office.
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    # A rotated remember-me token still signs in this long: parallel requests of one phone.
    "REMEMBER_GRACE_SECONDS": 60,
    # Photo files: "local" (PHOTOS_DIR) or "s3" (the S3_* keys; credentials may also come from
    # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). Litestream replicates the database under <S3_PREFIX>db.
    "PHOTO_STORE": "local",
    "S3_ENDPOINT": None,
    "S3_BUCKET": None,
    "S3_PREFIX": "",
    "S3_REGION": "us-east-1",
    "S3_ACCESS_KEY_ID": None,
    "S3_SECRET_ACCESS_KEY": None,
    "BACKUP_SYNC_INTERVAL": "1s",
    # Arrears team (amounts in cents): band limits, plan rules, solidarity thresholds, conference agenda.
    "ARREARS_BAND_LIMITS_CENTS": [50000, 200000],
    "ARREARS_PLAN_MAX_INSTALMENTS": 24,
    "ARREARS_PLAN_MIN_INSTALMENT_CENTS": 2000,
    "ARREARS_PLAN_BROKEN_AFTER_MISSED": 2,
    "ARREARS_PLAN_DUE_DAY": 10,
    "ARREARS_PLAN_GRACE_DAYS": 5,
    "ARREARS_SOLIDARITY_ISEE_MAX_CENTS": 936000,
    "ARREARS_SOLIDARITY_MIN_MONTHS": 24,
    "ARREARS_SOLIDARITY_MAX_YEAR_CENTS": 270000,
    "ARREARS_CONFERENCE_BALANCE_CENTS": 150000,
    "ARREARS_CONFERENCE_NO_CONTACT_DAYS": 30,
    "ARREARS_TREND_TOLERANCE_CENTS": 1000,
    # Days a tenant has to send observations on a heating recovery notice (L. 241/1990 art. 10) [A].
    "HEATING_RECOVERY_OBSERVATION_DAYS": 30,
    # Privacy (see README "Privacy"): sign-in attempts hold clear usernames, so they go after this.
    "LOGIN_ATTEMPTS_KEEP_DAYS": 30,
    # Days each record type keeps its personal content: {"visits": 1825, "audit_log": 730, "sessions": 90}
    # by default (reasons in fieldapp/privacy/retention.py and README "Privacy"); set only what differs.
    "RETENTION": {},
    # Pages saved on a phone stop being shown this long after its last contact with the server.
    "OFFLINE_MAX_HOURS": 48,
    # The project's calendar: its first and last day (project years run twelve months from the first;
    # an extension moves PROJECT_END, and nothing else), and its heating seasons, first and last day each.
    "PROJECT_START": "2024-10-01",
    "PROJECT_END": "2026-12-31",
    "HEATING_SEASONS": {"2024-25": ["2024-10-15", "2025-04-15"], "2025-26": ["2025-10-15", "2026-04-15"]},
    # Staff hours of records entered without a duration (older visits and arrears contacts), in minutes:
    # the report to the Region counts them at this standard duration and marks those hours as estimated.
    "STANDARD_DURATION_MINUTES": {"visits": 45, "arrears_contacts": 15},
    # Period close: a record entered more than this many days after its own day is listed as late.
    "GOVERNANCE_LATE_DAYS": 7,
    # Public pages and Open311, per address and minute: reports sent, and reads.
    "PUBLIC_POSTS_PER_MINUTE": 20,
    "PUBLIC_POSTS_PER_DAY": 60,
    "PUBLIC_READS_PER_MINUTE": 300,
    # Static files: the hashed, precompressed build of `make setup` (None: build/ in the checkout).
    # Without it (or older than its sources) the app warns and serves the plain files; with
    # ASSETS_REQUIRED it refuses to start. gunicorn.conf.py refuses on its own, once, at start.
    "ASSETS_DIR": None,
    "ASSETS_REQUIRED": False,
    # Outgoing e-mail (fieldapp/messages): without SMTP_HOST and SMTP_FROM messages wait in the queue.
    # SMTP_SECURITY: "starttls" (port 587), "ssl" (465, as PEC providers use) or "none" (local tests only).
    "SMTP_HOST": None,
    "SMTP_PORT": None,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_FROM": None,
    "SMTP_SECURITY": "starttls",
    "SMTP_TIMEOUT": 30,
    # Links in e-mails are built on this address, never on a request's Host header.
    "BASE_URL": "http://127.0.0.1:5000",
    # Minutes between tries of a message the server did not take; after the last, it waits for an admin.
    "MESSAGES_RETRY_MINUTES": [1, 5, 15, 60, 240],
    "MESSAGES_LOOP_SECONDS": 30,
    "MESSAGES_KEEP_DAYS": 90,
    # Each person's digest (local time), and the ALER office's address for reports passed to it.
    "DIGEST_TIME": "07:00",
    "ALER_EMAIL": None,
    # A photo link in an e-mail to ALER works this many days.
    "PHOTO_LINK_DAYS": 30,
    # The data-protection officer's contact, printed in the privacy notice of the public report page (GDPR
    # art. 13(1)(b)). Production (gunicorn.conf.py) refuses to start without it; development shows a marked
    # demo contact.
    "DPO_CONTACT": None,
}


def settings(instance_path):
    """The settings create_app reads (defaults, instance/config.py, CORTILE_* variables), without an app."""
    from flask import Config

    config = Config(str(instance_path))
    config.from_mapping(DEFAULTS)
    config.from_pyfile("config.py", silent=True)
    config.from_prefixed_env("CORTILE")
    return config
