// The page gate's checks, run inside the page (tests/test_page_gate.py).
// ({phone}) -> {fields, covered, overflow, broken, texts}: what a person would see wrong on this page.
({ phone }) => {
  const describe = (el) => {
    if (!el) return "nothing";
    const id = el.id ? `#${el.id}` : "";
    const cls = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\s+/).slice(0, 3).join(".") : "";
    const label = (el.getAttribute("aria-label") || el.innerText || el.value || el.name || "").trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${id}${cls}${label ? ` "${label}"` : ""}`;
  };
  const visible = (el) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true })
    && el.getClientRects().length > 0;

  // Colours: rgb()/rgba() as [r, g, b, a]; WCAG relative luminance and contrast ratio.
  const parse = (text) => {
    const m = /rgba?\(([^)]+)\)/.exec(text || "");
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const blend = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const backdrop = (el) => {  // what shows behind el: its ancestors' backgrounds, over white
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reduceRight((under, top) => blend(top, under), [255, 255, 255, 1]);
  };

  // WCAG 1.4.11: a field's boundary (a border, a shadow line, or its own fill) at 3:1 against its surroundings.
  const boundary = (el) => {
    const style = getComputedStyle(el);
    const around = backdrop(el.parentElement);
    const fill = blend(parse(style.backgroundColor) || [0, 0, 0, 0], around);
    let best = ratio(fill, around);
    for (const side of ["Top", "Right", "Bottom", "Left"]) {
      if (parseFloat(style[`border${side}Width`]) >= 1 && style[`border${side}Style`] !== "none") {
        const colour = parse(style[`border${side}Color`]);
        if (colour) best = Math.max(best, ratio(blend(colour, around), around));
      }
    }
    if (style.boxShadow && style.boxShadow !== "none") {
      for (const m of style.boxShadow.matchAll(/rgba?\([^)]+\)/g)) {
        best = Math.max(best, ratio(blend(parse(m[0]), around), around));
      }
    }
    return best;
  };

  const fields = [];
  if (phone) {
    for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      // A visually hidden input whose label draws the control (button-like choices), or a native
      // checkbox the browser draws itself (its edge is the browser's, at 4.5:1).
      if (r.width < 4 || r.height < 4 || style.clip === "rect(0px, 0px, 0px, 0px)") continue;
      if (["checkbox", "radio"].includes(el.type) && style.appearance !== "none") continue;
      const best = boundary(el);
      if (best < 3) fields.push(`${describe(el)} boundary ${best.toFixed(2)}:1`);
    }
  }

  // Nothing fixed covers a submit button or a primary link once it is scrolled into view.
  const covered = [];
  const actions = document.querySelectorAll(
    "button[type=submit], form button:not([type]), input[type=submit], a.btn-primary, button.btn-primary");
  for (const el of actions) {
    if (!visible(el) || el.closest("[inert]")) continue;
    el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) {
      covered.push(`${describe(el)} cannot be scrolled into view (centre at ${Math.round(x)},${Math.round(y)})`);
      continue;
    }
    const hit = document.elementFromPoint(x, y);
    if (hit && hit !== el && !el.contains(hit)) {
      covered.push(`${describe(el)} at y=${Math.round(r.top)}-${Math.round(r.bottom)} covered by ${describe(hit)}`);
    }
  }
  scrollTo({ top: 0, left: 0, behavior: "instant" });

  // No sideways scrolling: name the widest element when the page is wider than the screen.
  let overflow = null;
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) {
    let widest = null;
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > page.clientWidth + 1 && (!widest || r.right > widest.r)) {
        if (getComputedStyle(el).position !== "fixed") widest = { el, r: r.right };
      }
    }
    overflow = `page ${page.scrollWidth}px wide in ${page.clientWidth}px; widest: ${widest ? describe(widest.el) : "?"}`;
  }
  // A fixed bar wider than the screen does not widen the page: it is cut off instead.
  for (const el of document.querySelectorAll(".app-bar > ul")) {
    if (visible(el) && el.getBoundingClientRect().right > page.clientWidth + 1) {
      overflow = `${describe(el)} is ${Math.round(el.getBoundingClientRect().right)}px wide in ${page.clientWidth}px`;
    }
  }

  // A list with filters starts on the first screen: its first record (after the filters) is in view at the top.
  let buried = null;
  const box = phone && document.querySelector("main details[data-filter-box], main form[role=search]");
  if (box) {
    const first = [...document.querySelectorAll("main .record, main table tbody tr")]
      .find((el) => visible(el) && box.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    if (first && first.getBoundingClientRect().top + 24 > innerHeight) {
      buried = `first record ${describe(first)} starts at y=${Math.round(first.getBoundingClientRect().top)}`;
    }
  }

  // Labels, buttons and badges never break a word in the middle ("Accompagna-mento" over two lines).
  const broken = [];
  if (phone) {
    for (const el of document.querySelectorAll(".choice, .app-bar a, .app-bar summary, .btn, .badge, .report-status, .intervention-status, th")) {
      if (!visible(el)) continue;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.data.matchAll(/[\p{L}\p{N}]{4,}/gu)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(`"${m[0]}" in ${describe(el)}`);
        }
      }
    }
  }

  // What a person reads: visible text (not code), options, placeholders and button values.
  const texts = new Set();
  const add = (t) => { t = (t || "").replace(/\s+/g, " ").trim(); if (t) texts.add(t); };
  if (phone) {
    const exempt = "script, style, noscript, template, code, pre, kbd, samp";
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parents = new Map();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || !node.data.trim()) continue;
      if (!parents.has(el)) parents.set(el, !el.closest(exempt) && (visible(el) || el.closest("select")));
      if (parents.get(el)) add(node.data);
    }
    // Whole phrases split across inline elements: a short element's full text too.
    for (const el of parents.keys()) {
      if (!parents.get(el)) continue;
      const block = el.closest("a, button, label, th, td, li, dt, dd, h1, h2, h3, h4, h5, h6, p, summary, legend, option, caption");
      if (block && !block.querySelector(exempt) && block.textContent.length < 300) add(block.textContent);
    }
    for (const el of document.querySelectorAll("[placeholder], input[type=submit], input[type=button], [aria-label], [title]")) {
      if (el.closest(exempt) || !visible(el)) continue;
      add(el.getAttribute("placeholder"));
      add(el.getAttribute("aria-label"));
      add(el.getAttribute("title"));
      if (el.type === "submit" || el.type === "button") add(el.value);
    }
  }
  return { fields, covered, overflow, broken, buried, texts: [...texts] };
}
