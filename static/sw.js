// Cortile's service worker: served at /sw.js (scope: the whole app) by fieldapp/pwa/routes.py,
// which fills in VERSION (a hash of the shell) and SHELL (its URLs).
//   - the app shell (CSS, JS, icons, offline and outbox pages) is precached per VERSION;
//   - static files are cache-first (hashed names: their bytes never change); pages are network-first
//     with a cache fallback;
//   - htmx fragment requests are not navigations: offline they get a marked 503, never a page;
//   - the outbox (outbox-replay.js, loaded here too) replays on Background Sync where the browser has it.
"use strict";

const VERSION = "__VERSION__";
const SHELL = ["__SHELL__"];
// Plain URL -> this version's hashed URL, for each shell file: a page saved before a deploy names
// the files of its own build; when those are gone, it gets today's copy of the same file.
const CURRENT = {"__CURRENT__": ""};

const SHELL_CACHE = `cortile-shell-${VERSION}`;
const PAGES_CACHE = "cortile-pages";       // pages the user opened, newest copy
const PREPARED_CACHE = "cortile-prepared"; // the working set fetched by "Prepare for offline use"
const OFFLINE_HEADER = "X-Cortile-Offline"; // marks every answer made here instead of by the server
const NETWORK_PATIENCE_MS = 4000;           // a stairwell's signal: after this, show the saved copy
// Saved pages are shown offline for this long after the last answer from the server (a day in a
// cellar fits); after that, and at once when the server says the session is over, they are dropped.
const OFFLINE_MAX_MS = Number("__OFFLINE_MAX_HOURS__") * 3600 * 1000;

// The outbox's queue, protocol, retry policy and replay (no DOM in any of them).
importScripts("/static/js/idb.js", "/static/js/outbox-protocol.js", "/static/js/outbox-retry.js",
              "/static/js/outbox-queue.js", "/static/js/outbox-replay.js");

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    // Without cookies: the shell must never hold a signed-in user's page.
    await cache.addAll(SHELL.map((url) => new Request(url, { credentials: "omit" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => name.startsWith("cortile-shell-") && name !== SHELL_CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
    await tellClients({ type: "cortile:sw-started" });
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.headers.has("X-Cortile-Prepare")) return;
  if (request.method !== "GET") {
    // Plain form posts (no outbox) that cannot leave: the offline page, not the browser's error.
    if (request.mode === "navigate") event.respondWith(fetch(request).catch(() => offlinePage()));
    return;
  }
  if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.startsWith("/sync/") || url.pathname === "/sw.js") {
    return; // the sync protocol talks to the server only
  } else if (isPage(request)) {
    const network = fetch(request);
    event.waitUntil(keepPage(request, network));
    event.respondWith(networkFirst(request, network));
  } else if (request.headers.get("HX-Request")) {
    event.respondWith(fetch(request).then(async (response) => {
      await noteContact(request, response);
      return response;
    }).catch(() => marked(new Response("", { status: 503 }))));
  }
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "cortile:claim") event.waitUntil(self.clients.claim());
});

// Background Sync (Chromium): the connection is back. An open page replays itself (and shows it);
// with the app closed, the worker replays. A throw asks the browser to try again later.
self.addEventListener("sync", (event) => {
  if (event.tag !== self.CortileOutbox.SYNC_TAG) return;
  event.waitUntil((async () => {
    const pages = await self.clients.matchAll({ type: "window" });
    if (pages.length) return tellClients({ type: "cortile:sw-started" });
    const summary = await self.CortileOutbox.replay();
    if (summary.stopped === "offline" || summary.later) throw new Error("retry later");
  })());
});

// The worker starts again after the browser stopped it: pages replay their outbox.
tellClients({ type: "cortile:sw-started" });

// A page navigation, a boosted htmx link or an htmx history restore: all want a whole page.
function isPage(request) {
  return request.mode === "navigate" || request.headers.get("HX-Boosted") === "true"
    || request.headers.get("HX-History-Restore-Request") === "true";
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const today = await currentCopy(request.url);
    if (today) return today;
    throw error;
  }
  if (response.ok) (await caches.open(SHELL_CACHE)).put(request, response.clone());
  else if (response.status === 404) return (await currentCopy(request.url)) || response;
  return response;
}

// This version's cached copy of a file asked for under another build's hashed name (or none).
async function currentCopy(url) {
  const plain = new URL(url).pathname.replace(/\.[0-9a-f]{12}(\.[A-Za-z0-9]+)$/, "$1");
  const today = CURRENT[plain];
  return today ? caches.match(today, { ignoreVary: true }) : undefined;
}

// Keep a copy of the pages a signed-in user opened (the server marks them private): whole pages
// only, no redirects (to the sign-in page), no errors, no fragments.
async function keepPage(request, network) {
  try {
    const response = await network;
    const mine = (response.headers.get("Cache-Control") || "").includes("private");
    const keep = response.ok && !response.redirected && mine && isHtml(response);
    const copy = keep ? response.clone() : null; // before the page starts reading the body
    if (await noteContact(request, response) || !keep) return;
    await (await caches.open(PAGES_CACHE)).put(request.url, copy);
  } catch (error) {
    // offline: nothing to keep
  }
}

async function networkFirst(request, network) {
  const saved = savedPage(request.url);
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_PATIENCE_MS));
  try {
    // Whichever comes first: the network, or (when the network dawdles) a saved copy.
    const first = await Promise.race([network, slow.then(() => saved)]);
    return first || await network;
  } catch (error) {
    return (await saved) || offlinePage();
  }
}

// Every answer of the server: a 401 or the sign-in page means nobody is signed in here any more, so
// the saved pages go at once (Cache Storage only: the outbox's unsent items stay in IndexedDB);
// any other answer is a successful contact that restarts the offline allowance. True when signed out.
async function noteContact(request, response) {
  const path = new URL(response.url || request.url).pathname;
  if (response.status === 401 || (path === "/login" && (response.ok || response.redirected))) {
    await dropSavedPages();
    return true;
  }
  if (response.ok && response.type !== "opaqueredirect") {
    await self.idb.set("meta", "swContactAt", Date.now()).catch(() => {});
  }
  return false;
}

async function dropSavedPages() {
  await Promise.all([PAGES_CACHE, PREPARED_CACHE].map((name) => caches.delete(name)));
}

// Past the allowance since the last contact (by this worker's clock), saved pages are not shown.
async function expired() {
  const at = await self.idb.get("meta", "swContactAt").catch(() => null);
  if (!at || !(Date.now() - at > OFFLINE_MAX_MS)) return false;
  await dropSavedPages();
  return true;
}

async function savedPage(url) {
  if (await expired()) return undefined;
  for (const name of [PAGES_CACHE, PREPARED_CACHE, SHELL_CACHE]) {
    if (!(await caches.has(name))) continue; // opening would create it
    const cache = await caches.open(name);
    const response = await cache.match(url, { ignoreVary: true });
    if (response) return marked(response);
  }
  return undefined;
}

async function offlinePage() {
  const cache = await caches.open(SHELL_CACHE);
  const page = await cache.match("/offline", { ignoreVary: true });
  return marked(page || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } }));
}

function isHtml(response) {
  return (response.headers.get("Content-Type") || "").startsWith("text/html");
}

// A copy of `response` carrying the offline marker, so pages and the outbox can tell.
function marked(response) {
  const headers = new Headers(response.headers);
  headers.set(OFFLINE_HEADER, "1");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function tellClients(message) {
  const clients = await self.clients.matchAll({ includeUncontrolled: true, type: "window" });
  clients.forEach((client) => client.postMessage(message));
}
