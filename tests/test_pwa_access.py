"""Access samples of the installable app and the sync protocol (see test_access.py)."""

SAMPLES = {
    "pwa.manifest": ("GET", lambda db: "/manifest.webmanifest", None),
    "pwa.service_worker": ("GET", lambda db: "/sw.js", None),
    "pwa.offline": ("GET", lambda db: "/offline", None),
    "pwa.outbox": ("GET", lambda db: "/outbox", None),
    "sync.token": ("GET", lambda db: "/sync/token", None),
    "sync.photo_upload": ("POST", lambda db: "/sync/photos", None),
    "sync.manifest": ("GET", lambda db: "/sync/manifest", None),
}
