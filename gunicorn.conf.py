"""gunicorn settings for Cortile: `gunicorn -c gunicorn.conf.py wsgi:app` (env variables override)."""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two cores in the reference machine: two processes, four threads each. Threads wait on SQLite and the
# network most of the time; photo decoding runs one at a time per worker (fieldapp.photos), so a worker
# holds at most one PHOTO_DECODE_BUDGET_MB of decoded pixels at a time.
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A worker silent this long is killed and replaced: far above the slowest page (an export, ~2 s), and
# above the slowest accepted photo batch on a slow phone connection.
timeout = 60
# On restart, requests in flight (an upload from a phone) get this long to finish.
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, spread out so that they do not all restart together. Not often: a
# restarting worker's queued requests wait for its boot (1-2 s), which bench/pages.py saw as p95 stalls
# at 1,000; the programme's few dozen staff make 10,000 requests in days, not seconds.
max_requests = 10000
max_requests_jitter = 1000
# Each worker builds its own app: migrations run there, under a file lock (fieldapp.db.migration_lock),
# and no SQLite connection is shared across a fork.
preload_app = False
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No control socket: its default path is per user, shared by every gunicorn that user runs.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
# The reverse proxy is the only client; forwarded headers are handled by the app (ProxyFix), not here.
forwarded_allow_ips = "127.0.0.1"


def on_starting(server):
    """Import the app's code (not the app) in the master: workers fork with it loaded and boot fast."""
    import sys
    from pathlib import Path

    import fieldapp
    from fieldapp.assets import BUILD, AssetsNotBuilt, load_manifest
    from fieldapp.config import settings

    config = settings(Path(fieldapp.__file__).resolve().parent.parent / "instance")
    # E-mails link to pages of the site: with sending on, their links must not lead to the development server.
    if config["SMTP_HOST"] and "127.0.0.1" in str(config["BASE_URL"]):
        sys.exit("Cortile will not start: e-mail is on (SMTP_HOST) but BASE_URL is still the development "
                 "address; set CORTILE_BASE_URL to the site's address, e.g. https://cortile.comune.example.org.")
    # Production refuses to serve without the built assets (uncompressed, unhashed, five times the
    # bytes, and a service worker shell that does not match the pages): say so and stop.
    try:
        load_manifest(os.environ.get("CORTILE_ASSETS_DIR") or BUILD)
    except AssetsNotBuilt as error:
        sys.exit(f"Cortile will not start: {error}")
    # The public report page's privacy notice must name the data-protection officer (GDPR art. 13(1)(b)).
    if not str(config["DPO_CONTACT"] or "").strip():
        sys.exit("Cortile will not start: set CORTILE_DPO_CONTACT (or DPO_CONTACT in instance/config.py) to the "
                 "data-protection officer's contact, which the public privacy notice must show (GDPR art. 13(1)(b)).")
    # Checked here, once, and not in each worker: a worker recycled after a `git pull` that is not yet
    # followed by `make setup` warns and serves the plain files rather than stopping the whole server.

    fieldapp.areas()  # every area's code, imported once here
