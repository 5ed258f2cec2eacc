"""The page gate: every HTML page each demo role may open, on a 360x740 phone and a 1366x900 desktop.

On each page: fields have a visible boundary (WCAG 1.4.11, 3:1), no fixed bar covers a submit button or a
primary link, nothing scrolls sideways (the bottom bar included), no word of a label or button breaks across
lines, a list with filters shows its first record on the first screen, the text is Italian (no English
message, no snake_case, no Python repr, Italian numbers, dates and times, plurals that agree), axe finds
nothing serious, the console stays clean and every same-origin request succeeds; a signed-in role is never
sent to the sign-in form. One browser, one context per role, one load per endpoint and role: the phone
checks first, then the same page widened to a desktop for covering and overflow. Map tiles come from a
local stub; no request leaves the machine. Files (routes ending in an extension), images, JSON and htmx
fragments are not pages and are skipped.

CORTILE_SCREENS=build/screens (`make screens`) also saves a PNG of each page, role and viewport there,
with an index.html to browse them.
"""
import html
import json
import os
import re
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import DEMO_PASSWORD, ROME, ROOT
from tests.test_access import SAMPLES, WHO

pytestmark = [
    pytest.mark.browser,
    # Werkzeug's development server leaves a static file open when the browser drops its connection mid-transfer
    # (a page left while a font still loads): the server's artifact, not the app's; gunicorn serves production.
    pytest.mark.filterwarnings("ignore:Exception ignored in. <_io.FileIO:pytest.PytestUnraisableExceptionWarning"),
]

CHECKS = (Path(__file__).parent / "page_gate.js").read_text()
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
# Every role of the demo, as test_access.py signs them in, and the public without an account.
ROLES = ["tutor", "operator", "community", "coordinator", "equipe", "educator", "aler", "admin", "anonymous"]
SCREENS = os.environ.get("CORTILE_SCREENS")
# A 1x1 grey PNG: the map tiles of the gate (the configured tile server is on the internet).
TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cff0bf1e0005ff02fea7a0b5d70000000049454e44ae426082")


# --- What Italian pages must not show ----------------------------------------------------------

def _catalogue():
    """English msgids whose Italian differs (as whole texts and as patterns), and Italian plural nouns."""
    exact, patterns, plurals, italian = set(), [], set(), set()
    for path in sorted((ROOT / "translations" / "it" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            for message in read_po(f):
                if not message.id or not message.string:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                italian.update(" ".join(t.split()) for t in strings)  # "Date" is Italian too ("Dates")
                if isinstance(message.id, tuple) and len(strings) > 1 and strings[0] != strings[1]:
                    # "%(num)d nucleo" / "%(num)d nuclei": "1 nuclei" is a wrong plural.
                    m = re.match(r"%\(num\)d (\w+)", strings[1])
                    if m and not strings[0].startswith(f"%(num)d {m.group(1)}"):
                        plurals.add(m.group(1))
                for english in ids:
                    if english in strings:
                        continue
                    if "%" in english:
                        literal = re.sub(r"%\(\w+\)[sd]|%[sd]", " ", english)
                        if len(re.findall(r"[A-Za-z]{3,}", literal)) >= 2:
                            parts = re.split(r"%\(\w+\)[sd]|%[sd]", english)
                            patterns.append(r"(?:.+?)".join(re.escape(" ".join(p.split())) for p in parts))
                    elif re.search(r"[A-Za-z]{2,}", english):
                        exact.add(" ".join(english.split()))
    whole = re.compile(r"^(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + r")$") if patterns else None
    return exact - italian, whole, plurals


ENGLISH, ENGLISH_PATTERNS, PLURAL_NOUNS = _catalogue()
STOP_WORDS = re.compile(r"\b(the|and|of|with|to|for|is|are|has|by|from|this|that|will|residents|clear|"
                        r"January|February|March|April|May|June|July|August|September|October|November|"
                        r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
TEXT_RULES = [
    ("snake_case", re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\b")),
    ("python repr", re.compile(r"<built-in|<bound method|<function |\bNone\b|\bTrue\b|\bFalse\b|[{}\[\]]")),
    ("decimal point", re.compile(r"(?<![\d.,/])(?<!WCAG )\d+\.(?:\d{1,2}|\d{4,})(?![\d.])")),
    ("ISO date", re.compile(r"\b\d{4}-\d{2}-\d{2}\b")),
    ("ISO time", re.compile(r"\d{2}:\d{2}(?::\d{2})?Z\b|\dT\d{2}:\d{2}")),
    ("English words", STOP_WORDS),
]


def text_findings(texts):
    """(kind, detail) for each text a person would find wrong on an Italian page."""
    found = []
    for text in texts:
        if text in ENGLISH or (ENGLISH_PATTERNS and ENGLISH_PATTERNS.match(text)):
            found.append(("English message", text))
            continue
        for kind, rule in TEXT_RULES:
            match = rule.search(text)
            if match:
                found.append((kind, f"{match.group(0)!r} in {text[:120]!r}"))
        plural = re.search(r"(?<![\d.,])1 (\w+)", text)
        if plural and plural.group(1) in PLURAL_NOUNS:
            found.append(("plural", text[:120]))
    return found


# --- Which pages ------------------------------------------------------------------------------

def may_open(view, role):
    access = getattr(view, "access", None)
    return access == "public" or (role != "anonymous" and access and role in access)


ONLY = [e for e in os.environ.get("CORTILE_GATE_ONLY", "").split(",") if e]  # a few endpoints, while fixing them


def pages_of(app, db, role):
    """(endpoint, url) of every GET route the role may open, with ids from the demo database."""
    pages = []
    for endpoint, (method, url, _scope) in sorted(SAMPLES.items()):
        if ONLY and not any(e in endpoint for e in ONLY):
            continue
        if method == "GET" and may_open(app.view_functions[endpoint], role):
            pages.append((endpoint, url(db)))
    return pages


def first_role(app, endpoint):
    """axe runs once per endpoint: for the first role (in ROLES order) that may open it."""
    return next(r for r in ROLES if may_open(app.view_functions[endpoint], r))


TIMES = Counter()
SLOW = []
KINDS = {}  # endpoint -> content type, learnt once per test process


def is_html(app, endpoint):
    """False for a file: a route whose path ends in an extension (`.csv`, `.<fmt>`), as the URL map says, or one
    whose answer was not HTML (an image, JSON) for an earlier role. Never asked for with a HEAD: a view may
    flash a message or make a PDF, and the answer's cookie would replace the browser's."""
    if endpoint not in KINDS:
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        KINDS[endpoint] = "file" if re.search(r"\.(?:\w+|<[^>]+>)$", rule.rule) else "text/html"
    return KINDS[endpoint].startswith("text/html")


# --- The gate ----------------------------------------------------------------------------------

class Watch:
    """Console errors, page errors, failed same-origin requests and requests to other hosts, per page."""

    def __init__(self, page, origin):
        self.origin, self.problems, self.inflight = origin, [], set()
        page.on("console", lambda m: m.type == "error" and self.problems.append(("console error", m.text[:200])))
        page.on("pageerror", lambda e: self.problems.append(("page error", str(e)[:200])))
        page.on("request", lambda r: self.inflight.add(r))
        page.on("requestfinished", self.finished)
        page.on("requestfailed", self.failed)

    def ours(self, url):
        return url.startswith(self.origin)

    def finished(self, request):
        self.inflight.discard(request)
        response = request.response()
        if self.ours(request.url) and response and response.status >= 400:
            self.problems.append(("failed request", f"{response.status} {urlsplit(request.url).path}"))

    def failed(self, request):
        self.inflight.discard(request)
        if self.ours(request.url) and request.failure != "net::ERR_ABORTED":
            self.problems.append(("failed request", f"{request.failure} {urlsplit(request.url).path}"))

    def settle(self, page, limit=3.0):
        """Wait until no request is in flight (a map's layers, a fragment), at most `limit` seconds."""
        deadline = time.monotonic() + limit
        quiet = 0
        while time.monotonic() < deadline and quiet < 2:
            page.wait_for_timeout(10)
            quiet = quiet + 1 if not self.inflight else 0


def route_outside(context, origin, problems):
    def handle(route):
        url = route.request.url
        if url.startswith(origin) or not url.startswith(("http:", "https:")):
            route.fallback()
        elif "tile" in urlsplit(url).netloc:
            route.fulfill(status=200, content_type="image/png", body=TILE)
        else:
            problems.append(("request leaves the machine", url[:120]))
            route.abort()
    context.route("**/*", handle)


def sign_in(page, base_url, role):
    """Through the sign-in form, as a person does; the landing page is not waited for."""
    page.goto(f"{base_url}/login")
    page.locator("#username").fill(WHO[role])
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/login" not in url, wait_until="commit")


def screenshot(page, role, endpoint, viewport):
    """The whole page as a screen that tall would show it: the fixed bottom bar at the bottom, not mid-page."""
    folder = Path(SCREENS)
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(height, 12000))})
    page.screenshot(path=folder / f"{role}--{endpoint}--{viewport}.png")
    page.set_viewport_size(size)


def write_index(folder):
    """index.html of the screenshots in folder: one row per page and role, phone and desktop side by side."""
    folder = Path(folder)
    rows = {}
    for png in sorted(folder.glob("*.png")):
        role, endpoint, viewport = png.stem.split("--")
        rows.setdefault((role, endpoint), {})[viewport] = png.name
    body = ["<!doctype html><meta charset=utf-8><title>Cortile: every page</title>",
            "<style>body{font-family:sans-serif}td{vertical-align:top;padding:4px}img{border:1px solid #ccc}"
            ".phone{width:240px}.desktop{width:600px}</style><h1>Cortile: every page, role and viewport</h1>",
            "<table><tr><th>role</th><th>page</th><th>phone 360</th><th>desktop 1366</th></tr>"]
    for (role, endpoint), shots in sorted(rows.items()):
        cells = "".join(f'<td><a href="{html.escape(shots[v])}"><img class="{v}" loading="lazy" '
                        f'src="{html.escape(shots[v])}" alt=""></a></td>' if v in shots else "<td></td>"
                        for v in ("phone", "desktop"))
        body.append(f"<tr><td>{html.escape(role)}</td><td>{html.escape(endpoint)}</td>{cells}</tr>")
    (folder / "index.html").write_text("\n".join(body + ["</table>"]))


def gate(browser, live_server, role):
    """Every page of the role through every check; returns the findings as (kind, where, detail)."""
    app, base_url = live_server.app, live_server.url
    from fieldapp.db import connect

    db = connect(app.config["DATABASE"])
    try:
        pages = pages_of(app, db, role)
    finally:
        db.close()
    context = browser.new_context(viewport=PHONE, locale="it-IT", timezone_id="Europe/Rome",
                                           service_workers="block")
    context.clock.install(time=datetime.now(ROME))  # the page's day is the server's (pinned) day
    findings, outside = [], []
    try:
        route_outside(context, base_url, outside)
        page = context.new_page()
        watch = Watch(page, base_url)
        if role != "anonymous":
            sign_in(page, base_url, role)
        axe = Axe()
        seen, planned = set(), {f"{base_url}{url}" for _endpoint, url in pages}
        for endpoint, url in pages:
            if not is_html(app, endpoint):
                continue
            where = f"{role} {url}"
            watch.problems.clear()
            page.set_viewport_size(PHONE)
            clock = time.monotonic()
            try:
                response = page.goto(f"{base_url}{url}", wait_until="domcontentloaded")
            except PlaywrightError as error:  # a download (an attachment): not a page
                if "Download is starting" not in str(error):
                    raise
                KINDS[endpoint] = "download"
                page.goto("about:blank")
                continue
            if response is None or response.status >= 400:
                findings.append(("page not opened", where, str(response and response.status)))
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                KINDS[endpoint] = response.headers.get("content-type", "")  # an image, JSON: not a page
                page.goto("about:blank")  # what the browser's own viewer logs is not the next page's
                continue
            if role != "anonymous" and urlsplit(page.url).path == "/login":
                findings.append(("signed out", where, f"{url} led to the sign-in page"))
                continue
            if page.url in seen or (page.url != f"{base_url}{url}" and page.url in planned):
                continue  # "/" and "/login" lead a signed-in role to a page checked under its own name
            if not page.evaluate("document.doctype !== null"):  # an htmx fragment (/agenda/counts), not a page
                KINDS[endpoint] = "fragment"
                continue
            seen.add(page.url)
            watch.settle(page)
            SLOW.append((round(time.monotonic() - clock, 2), role, url))
            TIMES["load"] += time.monotonic() - clock
            clock = time.monotonic()
            phone = page.evaluate(CHECKS, {"phone": True})
            findings += [("field without boundary", where, d) for d in phone["fields"]]
            findings += [("covered at 360", where, d) for d in phone["covered"]]
            findings += [("word broken at 360", where, d) for d in phone["broken"]]
            if phone["buried"]:
                findings.append(("list below the fold at 360", where, phone["buried"]))
            if phone["overflow"]:
                findings.append(("overflow at 360", where, phone["overflow"]))
            findings += [(kind, where, d) for kind, d in text_findings(phone["texts"])]
            TIMES["phone"] += time.monotonic() - clock
            clock = time.monotonic()
            if first_role(app, endpoint) == role:
                results = axe.run(page)
                for v in results.response["violations"]:
                    if v["impact"] in ("serious", "critical"):
                        targets = ", ".join(str(n["target"][0]) for n in v["nodes"][:3])
                        findings.append(("axe " + v["impact"], where, f"{v['id']}: {targets}"))
            TIMES["axe"] += time.monotonic() - clock
            clock = time.monotonic()
            if SCREENS:
                screenshot(page, role, endpoint, "phone")
            page.set_viewport_size(DESKTOP)
            desktop = page.evaluate(CHECKS, {"phone": False})
            findings += [("covered at 1366", where, d) for d in desktop["covered"]]
            if desktop["overflow"]:
                findings.append(("overflow at 1366", where, desktop["overflow"]))
            if SCREENS:
                screenshot(page, role, endpoint, "desktop")
            findings += [(kind, where, d) for kind, d in watch.problems]
            TIMES["desktop"] += time.monotonic() - clock
            TIMES["pages"] += 1
        findings += [(kind, role, d) for kind, d in outside]
    finally:
        context.close()
    if SCREENS:
        write_index(SCREENS)
    return findings


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_the_gate(browser, live_server, role):
    started = time.monotonic()
    findings = gate(browser, live_server, role)
    counts = Counter(kind for kind, _where, _detail in findings)
    report = os.environ.get("CORTILE_GATE_REPORT")
    if report:
        with open(report, "a") as f:
            f.write(json.dumps({"role": role, "seconds": round(time.monotonic() - started, 1), "times": TIMES,
                                "slow": sorted(SLOW)[-8:], "findings": findings}) + "\n")
    assert not findings, f"{len(findings)} findings {dict(counts)}:\n" + "\n".join(
        f"{kind}: {where}: {detail}" for kind, where, detail in sorted(set(findings)))
