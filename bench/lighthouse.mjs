// Lighthouse user flow for bench/lighthouse.py: each page twice in one browser profile, a first visit
// (storage reset: no cache, no service worker) then a repeat visit (cache and service worker kept).
// Input: a JSON file {chrome, runs, dump, pages: [{name, url, cookies, ignore}]}; output: one JSON line per page
// (and each step's whole report in the folder `dump`, when given).
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

// One user flow: a first visit, then a repeat visit in the same profile.
async function visitTwice(page) {
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
    return (await flow.createFlowResult()).steps.map((step) => step.lhr);
  } finally {
    await browser.close();
  }
}

// Simulated throttling varies from run to run (Lighthouse's own advice: the median of several runs).
// Each page is run job.runs times; the run with the median first-visit performance is reported, with
// the lowest and highest performance of all runs.
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
for (const page of job.pages) {
  const runs = [];
  for (let i = 0; i < (job.runs || 1); i += 1) {
    const [first, repeat] = await visitTwice(page);
    runs.push({ lhrs: [first, repeat], first: summary(first, page.ignore), repeat: summary(repeat, page.ignore) });
  }
  const scores = runs.map((run) => run.first.performance ?? -1);
  const chosen = runs[scores.indexOf(median(scores))];
  if (job.dump) {  // the whole reports of the reported run, to read what costs the points
    chosen.lhrs.forEach((lhr, i) => fs.writeFileSync(
      `${job.dump}/${page.name.replace(/ /g, "-")}-${i ? "repeat" : "first"}.json`, JSON.stringify(lhr)));
  }
  const repeatScores = runs.map((run) => run.repeat.performance ?? -1);
  console.log(JSON.stringify({ name: page.name, first: chosen.first, repeat: chosen.repeat, runs: runs.length,
                               firstRange: [Math.min(...scores), Math.max(...scores)],
                               repeatRange: [Math.min(...repeatScores), Math.max(...repeatScores)] }));
}
