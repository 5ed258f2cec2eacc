"""Pages compressed by the app itself, as WhiteNoise compresses the static files: gunicorn alone is fast.

A household list is ~17 KB of HTML and ~4 KB compressed: on a slow connection that is a round trip less
before the first paint. But a signed-in page carries a secret (the CSRF token) and may echo what the
URL asks for (a search), which is what BREACH needs: another site makes the browser fetch our page
many times with its guesses in the URL and watches the compressed lengths. So a response is compressed
only when the browser says the request came from our own pages or from the person (Sec-Fetch-Site
`same-origin` or `none`). Browsers set that header themselves and no other site can; a request without
it (an old browser, a script) gets the page uncompressed, never a different page.
"""
import gzip

import brotli
from flask import request

COMPRESSIBLE = {"text/html", "application/json", "application/geo+json", "text/xml", "application/xml",
                "text/csv", "text/plain", "text/javascript", "application/manifest+json", "image/svg+xml"}
MIN_BYTES = 1024  # smaller bodies fit in the first packets anyway
OWN_REQUESTS = {"same-origin", "none"}
# Dynamic pages: a level that costs well under a millisecond for a page (the static files get brotli 11).
CODINGS = {"br": lambda data: brotli.compress(data, quality=5), "gzip": lambda data: gzip.compress(data, 6, mtime=0)}


def init_app(app):
    if not app.config["COMPRESS_PAGES"]:
        return

    @app.after_request
    def compress(response):
        if response.mimetype not in COMPRESSIBLE or response.direct_passthrough or response.is_streamed \
                or "Content-Encoding" in response.headers:
            return response
        response.vary.update(("Accept-Encoding", "Sec-Fetch-Site"))
        coding = request.accept_encodings.best_match(CODINGS)
        if coding is None or request.headers.get("Sec-Fetch-Site") not in OWN_REQUESTS \
                or response.content_length is None or response.content_length < MIN_BYTES:
            return response
        response.set_data(CODINGS[coding](response.get_data()))
        response.headers["Content-Encoding"] = coding
        etag, weak = response.get_etag()
        if etag and not weak:  # other bytes than the uncompressed body's: not the same strong validator
            response.set_etag(f"{etag}-{coding}")
        return response
