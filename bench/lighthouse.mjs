// Lighthouse user flow for bench/lighthouse.py: each page twice in one browser profile, a first visit
// (storage reset: no cache, no service worker) then a repeat visit (cache and service worker kept).
// Input: a JSON file {chrome, pages: [{name, url, cookies, ignore}]}; output: one JSON line per page.
import fs from "node:fs";
import puppeteer from "puppeteer-core";
import { startFlow } from "lighthouse";

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"];

function summary(lhr, ignore) {
  const requests = lhr.audits["network-requests"].details.items;
  const counted = requests.filter((r) => !(ignore && r.url.startsWith(ignore)));
  const bytes = (items) => items.reduce((sum, r) => sum + (r.transferSize || 0), 0);
  const score = (name) => (lhr.categories[name].score === null ? null : Math.round(lhr.categories[name].score * 100));
  return {
    url: lhr.finalDisplayedUrl,
    error: lhr.runtimeError ? lhr.runtimeError.code : null,
    performance: score("performance"),
    accessibility: score("accessibility"),
    bestPractices: score("best-practices"),
    lcpMs: Math.round(lhr.audits["largest-contentful-paint"].numericValue),
    fcpMs: Math.round(lhr.audits["first-contentful-paint"].numericValue),
    tbtMs: Math.round(lhr.audits["total-blocking-time"].numericValue),
    cls: lhr.audits["cumulative-layout-shift"].numericValue,
    bytes: bytes(counted),
    staticBytes: bytes(counted.filter((r) => new URL(r.url).pathname.startsWith("/static/"))),
    requests: counted.length,
    failed: Object.entries(lhr.categories).flatMap(([, category]) => category.auditRefs)
      .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
      .map((ref) => ref.id),
  };
}

for (const page of job.pages) {
  const browser = await puppeteer.launch({ executablePath: job.chrome, args: FLAGS });
  try {
    const tab = await browser.newPage();
    if (page.cookies.length) await tab.setCookie(...page.cookies);
    const flow = await startFlow(tab, {
      name: page.name,
      flags: { onlyCategories: ["performance", "accessibility", "best-practices"] },
    });
    await flow.navigate(page.url, { name: "first visit" });
    await flow.navigate(page.url, { name: "repeat visit", disableStorageReset: true });
    const result = await flow.createFlowResult();
    const [first, repeat] = result.steps.map((step) => summary(step.lhr, page.ignore));
    console.log(JSON.stringify({ name: page.name, first, repeat }));
  } finally {
    await browser.close();
  }
}
