"""Build build/static/ for `make setup`: CSS and script bundles, hashed copies, brotli, gzip, a manifest.

Bootstrap Italia is reduced by PurgeCSS (npm, pinned in package.json) to the rules the templates,
scripts and Python modules use, then bundled with the app's own stylesheets. The scripts every page
runs are joined into the bundles of fieldapp.assets.SCRIPT_BUNDLES. Every file is written
under its plain name and under a name with a hash of its bytes; `url()` references inside CSS point
at hashed names. Hashed files of earlier builds stay, so pages saved before a deploy still load.
build/manifest.json is written last: a half-done build is never taken for a complete one.
Run: .venv/bin/python tools/build_assets.py [--force]   (does nothing when its sources did not change)
"""
import gzip
import hashlib
import json
import os
import posixpath
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import brotli

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fieldapp.assets import (  # noqa: E402
    BUILD,
    BUNDLE,
    ROOT,
    SCRIPT_BUNDLES,
    bundle_sources,
    sources_digest,
)

STATIC = ROOT / "static"
BOOTSTRAP = "vendor/bootstrap-italia/css/bootstrap-italia.min.css"
# Not served from /static/: the worker is rendered at /sw.js; the rest is set-up material.
SKIPPED = {"sw.js", BOOTSTRAP}
SKIPPED_SUFFIXES = {".py", ".md"}
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".txt", ".html", ".map", ".xml", ".webmanifest"}
# The app shell the service worker precaches: what pages draw themselves with (the two bundles, the
# scripts of single pages, fonts, icons). Not the map's Leaflet (the worker caches it on first use).
SHELL_SUFFIXES = {".css", ".js", ".woff2", ".png"}
SHELL_EXCLUDED = ("vendor/leaflet", "vendor/bootstrap-italia/")
URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


# Class names templates build from a closed vocabulary (`status-{{ code }}`): (prefix, vocabulary). PurgeCSS
# cannot find them whole in any file, so the build keeps every prefix + code; tests/test_assets.py
# checks that each template's built class has its prefix here and its rule in the bundle. Here, not in fieldapp:
# the base layer does not reach into the areas.
def vocabulary_classes():
    """Every class name a template builds from a vocabulary, e.g. status-with_aler."""
    from fieldapp.interventions import vocab as interventions
    from fieldapp.reports import vocab as reports

    built = [("status-", reports.STATUSES), ("severity-", reports.SEVERITIES),
             ("istatus-", interventions.STATUSES), ("istatus-border-", interventions.STATUSES)]
    return sorted(f"{prefix}{code}" for prefix, vocabulary in built for code in vocabulary)


def purged_bootstrap():
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "purged.css"
        safelist = json.dumps(vocabulary_classes())
        subprocess.run(["node", "tools/purge.mjs", str(STATIC / BOOTSTRAP), str(out), safelist], cwd=ROOT, check=True)
        return out.read_bytes()


def sources():
    """Plain name -> bytes: every static file served, plus the bundle."""
    contents = {}
    for path in sorted(STATIC.rglob("*")):
        name = path.relative_to(STATIC).as_posix()
        if path.is_file() and name not in SKIPPED and path.suffix not in SKIPPED_SUFFIXES \
                and not path.name.startswith("LICENSE"):
            contents[name] = path.read_bytes()
    parts = [purged_bootstrap()] + [(STATIC / name).read_bytes() for name in bundle_sources()[1:]]
    contents[BUNDLE] = b"\n".join(parts)
    # A line with a lone ";" between files: one that does not end its last statement cannot run into the next.
    for bundle, names in SCRIPT_BUNDLES.items():
        contents[bundle] = b"\n;\n".join((STATIC / name).read_bytes().rstrip() for name in names)
    return contents


def rewrite_urls(name, data, hashed):
    """CSS `url()`s to files of this build, pointed at their hashed names (relative, as written)."""
    folder = posixpath.dirname(name)

    def swap(match):
        ref = match.group(2)
        if ref.startswith(("data:", "http:", "https:", "/", "#")):
            return match.group(0)
        path, _, tail = ref.partition("?")
        target = posixpath.normpath(posixpath.join(folder, path))
        if target not in hashed:
            return match.group(0)
        new = posixpath.relpath(hashed[target], folder) + (f"?{tail}" if tail else "")
        return f'url("{new}")'

    return URL.sub(swap, data.decode()).encode()


def write(path, data):
    """Write only what changed: unchanged files keep their time (and their ETag)."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # two test workers may build at once
    tmp.write_bytes(data)
    tmp.replace(path)


def compressed(path, data):
    """Write .br and .gz next to path (both, even when barely smaller: the start-up check wants both)."""
    write(path.with_name(path.name + ".br"), brotli.compress(data, quality=11))
    write(path.with_name(path.name + ".gz"), gzip.compress(data, compresslevel=9, mtime=0))


def build(force=False):
    digest = sources_digest()
    manifest_path = BUILD / "manifest.json"
    if not force and manifest_path.is_file() and json.loads(manifest_path.read_text()).get("sources") == digest:
        return False
    started = time.monotonic()
    out = BUILD / "static"
    hashed, compressible = {}, []
    # CSS last, so that its url()s can name the hashed fonts and images.
    for name, data in sorted(sources().items(), key=lambda item: (item[0].endswith(".css"), item[0])):
        if name.endswith(".css"):
            data = rewrite_urls(name, data, hashed)
        stem, suffix = posixpath.splitext(name)
        hashed[name] = f"{stem}.{hashlib.sha256(data).hexdigest()[:12]}{suffix}"
        for target in (name, hashed[name]):
            write(out / target, data)
            if suffix in COMPRESSIBLE:
                compressed(out / target, data)
        if suffix in COMPRESSIBLE:
            compressible += [name, hashed[name]]
    # Pages use the bundles, not the files in them (sw.js imports its own few scripts itself).
    bundled = {*bundle_sources(), *(name for names in SCRIPT_BUNDLES.values() for name in names)}
    shell = sorted(name for name in hashed if posixpath.splitext(name)[1] in SHELL_SUFFIXES
                   and not name.startswith(SHELL_EXCLUDED) and name not in bundled)
    manifest = {
        "version": hashlib.sha256(json.dumps(hashed, sort_keys=True).encode()).hexdigest()[:12],
        "files": hashed, "compressed": sorted(compressible), "shell": shell, "sources": digest,
    }
    write(manifest_path, json.dumps(manifest, indent=1, sort_keys=True).encode())
    bundle = (out / hashed[BUNDLE]).read_bytes()
    print(f"assets: {len(hashed)} files in {out.relative_to(ROOT)} ({time.monotonic() - started:.1f} s); "
          f"{BUNDLE} {len(bundle) / 1000:.0f} KB, {len(brotli.compress(bundle)) / 1000:.0f} KB brotli")
    return True


if __name__ == "__main__":
    build(force="--force" in sys.argv)
