"""The map with 10,000 reports: bytes on the wire and time until the clusters show in Chromium.

Run: python bench/map.py [--reports N] [--runs R]

A temporary database gets the demo data set and invented reports up to N in all. The app is served
on a free port (threaded werkzeug, as in the browser tests) and Debian's Chromium opens /map as the
operator, each run in a fresh context (cold cache, service worker blocked: its first install would
compete with the page). TILE_URL is empty: tiles would measure the tile server, not us.

- Bytes: the map page and /reports.geojson, raw and gzipped (the endpoint gzips itself; the page is
  gzipped here as a reverse proxy would send it), plus the static assets the page loads, for reference.
- Time: navigation start -> a cluster icon is in the page with every report loaded (a MutationObserver
  added before the page's own scripts notes performance.now() on the next frame); median of R runs.
- Baseline, same run: the same N points inlined in the page as folium Markers in a MarkerCluster
  (folium's usual way), with the same local Leaflet files, served as a static page.
Goal: map page + GeoJSON <= 1 MB gzipped, clusters shown <= 1.5 s.
"""
import argparse
import base64
import gzip
import logging
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import folium  # noqa: E402
from folium.plugins import MarkerCluster  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from bench import DEMO_PASSWORD, demo_app, machine, met, signed_in, timed_ms  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
GOAL_BYTES = 1_000_000
GOAL_SECONDS = 1.5
STATUSES = ["new"] * 3 + ["verified"] * 2 + ["planned", "in_progress"] + ["resolved"] * 4 + ["rejected"]
CATEGORIES = ["waste", "bulky", "hygiene", "pests", "biological", "damage", "other"]
AREAS = ["entrance", "stairs", "cellars", "courtyard", "garage", "bin_area", "green", "roof", "other"]

# Notes when the page shows clusters; `loaded` also waits for the GeoJSON (our page), not for the baseline.
WATCH = """
new MutationObserver((changes, observer) => {
  const island = document.getElementById("map-island");
  if (document.querySelector(".marker-cluster") && (!island || island.dataset.loaded)) {
    observer.disconnect();
    requestAnimationFrame(() => { window.clustersShownAt = performance.now(); });
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


def seed(app, total, rng):
    """Invented reports around the demo buildings, up to `total` with the demo's own."""
    from fieldapp import geo
    from fieldapp.db import get_db

    with app.app_context():
        db = get_db()
        buildings = list(db.query("SELECT id, lat, lon FROM buildings"))
        author = db.execute("SELECT id FROM users WHERE username = 'tutor.loreto'").fetchone()[0]
        now = datetime.now(UTC)
        rows = []
        for _ in range(total - db["reports"].count):
            b = rng.choice(buildings)
            point = (b["lat"] + rng.uniform(-0.003, 0.003), b["lon"] + rng.uniform(-0.004, 0.004))
            at = (now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))).strftime("%Y-%m-%dT%H:%M:%SZ")
            rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "building_id": b["id"],
                         "area": rng.choice(AREAS), "category": rng.choice(CATEGORIES), "severity": "moderate",
                         "description": "", "status": rng.choice(STATUSES), **geo.locate(b, point, 10.0),
                         "created_at": at, "created_by": author, "version": 1})
        db["reports"].insert_all(rows, batch_size=2000)
        return db["reports"].count, [(r["lat"], r["lon"]) for r in db.query("SELECT lat, lon FROM reports")]


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def baseline_page(points, base):
    """folium's usual way: every point inlined as a Marker in a MarkerCluster, assets from our origin."""
    started = time.perf_counter()
    m = folium.Map(location=(45.1365, 10.0245), zoom_start=13, tiles=None)
    m.options["max_zoom"] = 19
    m.default_js = [("leaflet", f"{base}/static/vendor/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", f"{base}/static/vendor/leaflet/leaflet.css")]
    cluster = MarkerCluster()
    cluster.default_js = [("markercluster", f"{base}/static/vendor/leaflet.markercluster/leaflet.markercluster.js")]
    cluster.default_css = [("mc", f"{base}/static/vendor/leaflet.markercluster/MarkerCluster.css"),
                           ("mcd", f"{base}/static/vendor/leaflet.markercluster/MarkerCluster.Default.css")]
    cluster.add_to(m)
    for lat, lon in points:
        folium.Marker((lat, lon)).add_to(cluster)
    html = m.get_root().render()
    return html, time.perf_counter() - started


def serve_file(folder):
    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def load(browser, url, sign_in=None):
    """Open `url` in a fresh context; (seconds until clusters shown, {url: (wire bytes, body)})."""
    # The service worker is kept out: its first install precaches the app shell and would compete with
    # the page; a person has it installed from the sign-in page on.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    if sign_in:
        context.request.post(sign_in, form={"username": "operatore", "password": DEMO_PASSWORD})
    page = context.new_page()
    page.add_init_script(WATCH)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls, received = {}, {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url)
    page.wait_for_function("() => window.clustersShownAt !== undefined", timeout=60_000, polling=50)
    seconds = page.evaluate("window.clustersShownAt") / 1000
    page.wait_for_timeout(300)  # let the last loadingFinished events arrive
    bodies = {}
    for request_id, wire in received.items():
        try:
            body = cdp.send("Network.getResponseBody", {"requestId": request_id})
        except Exception:  # noqa: BLE001 - a body Chromium no longer keeps: count the wire bytes only
            body = {"body": "", "base64Encoded": False}
        data = base64.b64decode(body["body"]) if body["base64Encoded"] else body["body"].encode()
        bodies[urls.get(request_id, request_id)] = (wire, data)
    context.close()
    return seconds, bodies


def kb(n):
    return f"{n / 1000:8.1f} kB"


def main():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request would bury the figures
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(10_000)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        app = demo_app(tmp, TILE_URL="")
        total, points = seed(app, args.reports, rng)
        print(f"Database: {total:,} reports ({time.perf_counter() - started:.1f} s to load the demo and seed)")
        server, base = serve(app)

        client = signed_in(app, "operatore")
        for path in ("/map", "/reports.geojson"):
            ms = timed_ms(lambda p=path: client.get(p, headers={"Accept-Encoding": "gzip"}), 5)
            print(f"Server time for {path:<17} {ms:6.0f} ms (median of 5)")

        html, build = baseline_page(points, base)
        (tmp / "baseline").mkdir()
        (tmp / "baseline" / "index.html").write_text(html)
        print(f"Baseline page built by folium in {build:.1f} s")
        files, files_url = serve_file(tmp / "baseline")

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ours = [load(browser, f"{base}/map", sign_in=f"{base}/login") for _ in range(args.runs)]
            theirs = [load(browser, f"{files_url}/index.html") for _ in range(max(1, args.runs - 1))]
            browser.close()
        server.shutdown()
        files.shutdown()

    _, bodies = ours[0]
    page = next(v for u, v in bodies.items() if u.endswith("/map"))
    layer = next(v for u, v in bodies.items() if "/reports.geojson" in u)
    assets = [v for u, v in bodies.items() if "/static/" in u]
    page_gz, layer_gz = len(gzip.compress(page[1])), layer[0]
    print(f"\nBytes (first run, cold cache)        {'raw':>11} {'gzip':>11}")
    print(f"  map page (HTML)                    {kb(len(page[1]))} {kb(page_gz)}")
    print(f"  /reports.geojson ({total:,} features) {kb(len(layer[1]))} {kb(layer_gz)}  (gzip: as received)")
    print(f"  page + GeoJSON                     {kb(len(page[1]) + len(layer[1]))} {kb(page_gz + layer_gz)}")
    print(f"  static assets ({len(assets)} files)           {kb(sum(len(b) for _, b in assets))} "
          f"{kb(sum(len(gzip.compress(b)) for _, b in assets))}  (cached after the first visit)")
    base_html = next(v for u, v in theirs[0][1].items() if u.endswith("index.html"))
    print(f"  baseline page, markers inlined     {kb(len(base_html[1]))} {kb(len(gzip.compress(base_html[1])))}")

    ours_s = statistics.median(s for s, _ in ours)
    theirs_s = statistics.median(s for s, _ in theirs)
    print(f"\nClusters shown in Chromium after    ours {ours_s:.2f} s (runs: {', '.join(f'{s:.2f}' for s, _ in ours)})")
    print(f"                                    baseline {theirs_s:.2f} s "
          f"(runs: {', '.join(f'{s:.2f}' for s, _ in theirs)})")
    print(f"Ratio to baseline: bytes {(page_gz + layer_gz) / len(gzip.compress(base_html[1])):.2f}, "
          f"time {ours_s / theirs_s:.2f}")
    bytes_ok, time_ok = page_gz + layer_gz <= GOAL_BYTES, ours_s <= GOAL_SECONDS
    print(f"\nGoal page + GeoJSON <= {GOAL_BYTES / 1e6:.0f} MB gzipped: {met(bytes_ok)}"
          f"   clusters <= {GOAL_SECONDS} s: {met(time_ok)}")
    print(machine())
    return 0 if bytes_ok and time_ok else 1


if __name__ == "__main__":
    sys.exit(main())
