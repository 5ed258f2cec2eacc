"""Fetch the pinned front-end assets from the npm registry into static/vendor/.

Nothing is loaded from a CDN at run time: every file the browser needs is copied here
at set-up, checked against the sha256 recorded below, and served from our own origin.
Run: python static/vendor/fetch.py   (idempotent; does nothing when all files match)
"""
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# package@version -> {file inside the tarball: (destination under static/vendor, sha256 or None for licences)}
ASSETS = {
    "htmx.org@2.0.11": {
        "package/dist/htmx.min.js": ("htmx/htmx.min.js", "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"),
        "package/LICENSE": ("htmx/LICENSE", None),
    },
    "bootstrap-italia@2.18.3": {
        "package/dist/css/bootstrap-italia.min.css": ("bootstrap-italia/css/bootstrap-italia.min.css", "0f5fc9a092cd008eeee34c1e09b8af72ebdee9b8bd26f2eebaa109cc76115ad8"),
        "package/dist/svg/sprites.svg": ("bootstrap-italia/svg/sprites.svg", "751f62fc42c824ff15312e2e9267f71256bd3142d9431385ab3759f208d5c55d"),
        "package/LICENSE": ("bootstrap-italia/LICENSE", None),
    },
    "@fontsource/titillium-web@5.3.0": {
        "package/files/titillium-web-latin-300-normal.woff2": ("titillium-web/titillium-web-latin-300-normal.woff2", "b6287de6fc5553c57520eedd963a16b66f3c192a2c65916243a0a92a8e0e8a8f"),
        "package/files/titillium-web-latin-400-normal.woff2": ("titillium-web/titillium-web-latin-400-normal.woff2", "861b80b49d2a634d8746e2e45c672309d9ba69a2fdd95da2af034d7a1d09b3f9"),
        "package/files/titillium-web-latin-600-normal.woff2": ("titillium-web/titillium-web-latin-600-normal.woff2", "f356ff5613e1b6789a47ae3bd6b72fa6fb61d44493811bcb758fb4229b7a8bcb"),
        "package/files/titillium-web-latin-700-normal.woff2": ("titillium-web/titillium-web-latin-700-normal.woff2", "9e3162d81ed6681322ab34791660f1b45c79945197e7a7dbb217005b2926caf4"),
        "package/LICENSE": ("titillium-web/LICENSE", None),
    },
    "leaflet@1.9.4": {
        "package/dist/leaflet.js": ("leaflet/leaflet.js", "db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a"),
        "package/dist/leaflet.css": ("leaflet/leaflet.css", "a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6"),
        "package/dist/images/layers-2x.png": ("leaflet/images/layers-2x.png", "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf"),
        "package/dist/images/layers.png": ("leaflet/images/layers.png", "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6"),
        "package/dist/images/marker-icon-2x.png": ("leaflet/images/marker-icon-2x.png", "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528"),
        "package/dist/images/marker-icon.png": ("leaflet/images/marker-icon.png", "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437"),
        "package/dist/images/marker-shadow.png": ("leaflet/images/marker-shadow.png", "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da"),
        "package/LICENSE": ("leaflet/LICENSE", None),
    },
    "leaflet.markercluster@1.5.3": {
        "package/dist/leaflet.markercluster.js": ("leaflet.markercluster/leaflet.markercluster.js", "1e4e1d22972a3926f48598e0caf14e3fe7049835d428a344fed4f9e3665b3508"),
        "package/dist/MarkerCluster.css": ("leaflet.markercluster/MarkerCluster.css", "614dea0a98ff3f4ead74f04918f6b1d1b9ba435c25b5fc23b21a394d1e3e4d87"),
        "package/dist/MarkerCluster.Default.css": ("leaflet.markercluster/MarkerCluster.Default.css", "61258232d98d64dc2a7b1e02130d67421bc5b9bda5994eef70228ff97570c170"),
        "package/MIT-LICENCE.txt": ("leaflet.markercluster/LICENSE", None),
    },
}


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def missing(files):
    """Return True when any destination is absent or does not match its pin."""
    for dest, digest in files.values():
        path = HERE / dest
        if not path.exists() or (digest and sha256(path.read_bytes()) != digest):
            return True
    return False


def fetch(spec, files, workdir):
    out = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", workdir],
        check=True, capture_output=True, text=True,
    )
    tarball = Path(workdir) / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as tar:
        for member, (dest, digest) in files.items():
            data = tar.extractfile(member).read()
            if digest and sha256(data) != digest:
                sys.exit(f"{spec}: {member} does not match its pinned sha256; refusing to install it")
            path = HERE / dest
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def main():
    todo = {spec: files for spec, files in ASSETS.items() if missing(files)}
    if not todo:
        return
    with tempfile.TemporaryDirectory() as workdir:
        for spec, files in todo.items():
            print(f"vendor: {spec}")
            fetch(spec, files, workdir)


if __name__ == "__main__":
    main()
