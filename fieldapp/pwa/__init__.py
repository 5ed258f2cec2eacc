"""The installable app: web manifest, service worker, offline page and the outbox page."""
