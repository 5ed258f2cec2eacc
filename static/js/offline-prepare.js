// "Prepare for offline use": the working set from /sync/manifest, into its own cache; and the pages
// saved for one user leave the phone when another one signs in.
(function (global) {
  "use strict";
  const PREPARED_CACHE = "cortile-prepared";
  const page = () => global.CortileOutboxPage;

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-prepare-start]");
    if (button) prepare(button);
  });

  async function prepare(button) {
    const say = page().say;
    const progress = button.closest("[data-prepare]").querySelector("[data-prepare-progress]");
    button.disabled = true;
    let done = 0;
    let total = 0;
    try {
      const response = await fetch("/sync/manifest", { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      const urls = (await response.json()).urls;
      total = urls.length;
      progress.textContent = say("preparing", { done, total });
      const cache = await caches.open(PREPARED_CACHE);
      const queue = urls.slice();
      const worker = async () => {
        while (queue.length) {
          const url = queue.shift();
          const answer = await fetch(url, { credentials: "same-origin", headers: { "X-Cortile-Prepare": "1" } });
          if (answer.ok && !answer.redirected) await cache.put(url, answer);
          done += 1;
          progress.textContent = say("preparing", { done, total });
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      // Pages that left the working set (a household moved to another presidio) leave the phone.
      const keep = new Set(urls.map((u) => new URL(u, location.href).href));
      for (const request of await cache.keys()) if (!keep.has(request.url)) await cache.delete(request);
      await global.idb.set("meta", "prepared", { at: new Date().toISOString(), count: total });
      progress.textContent = say("prepared", { n: total });
    } catch (error) {
      progress.textContent = say("prepareFailed", { done, total });
    } finally {
      button.disabled = false;
    }
  }

  // Someone else signed in on this phone (a session that expired, no sign-out): the pages saved
  // for the previous user leave before anything else happens. Their unsent records stay, as theirs.
  async function forgetOtherUsersPages() {
    const me = page().signedInUser();
    if (!me || !global.caches) return;
    if (await expireStalePages()) return;
    const owner = await global.idb.get("meta", "user");
    if (owner && owner !== me) await Promise.all(["cortile-pages", PREPARED_CACHE].map((n) => caches.delete(n)));
    if (owner !== me) await global.idb.set("meta", "user", me);
  }

  // A saved copy shown past OFFLINE_MAX_HOURS after the last page the server itself sent (by this
  // phone's clock): the saved pages go and the offline page replaces it. Unsent items stay.
  async function expireStalePages() {
    const status = document.getElementById("outbox-status");
    if (!status || location.pathname === "/offline") return false;
    const rendered = Number(status.dataset.renderedAt) || 0;
    const allowance = Number(status.dataset.offlineMaxHours) * 3600 * 1000;
    const stored = Number(await global.idb.get("meta", "contactAt")) || 0;
    if (rendered > stored) await global.idb.set("meta", "contactAt", rendered);
    if (!(allowance > 0) || Date.now() - Math.max(stored, rendered) <= allowance) return false;
    document.documentElement.style.visibility = "hidden";
    await Promise.all(["cortile-pages", PREPARED_CACHE].map((n) => caches.delete(n)));
    location.replace("/offline");
    return true;
  }

  // outbox.js's start() runs these first on every page load (it starts after this file has loaded).
  global.CortileOffline = { forgetOtherUsersPages, expireStalePages };
})(self);
