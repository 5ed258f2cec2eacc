// Bootstrap Italia reduced to the rules Cortile uses (run by tools/build_assets.py at set-up).
// Content: every template, script and Python module (forms and panels set classes from Python).
// Usage: node tools/purge.mjs CSS_IN CSS_OUT
import fs from "node:fs";
import { PurgeCSS } from "purgecss";

const [input, output] = process.argv.slice(2);
const [result] = await new PurgeCSS().purge({
  css: [input],
  content: ["templates/**/*.html", "static/js/**/*.js", "fieldapp/**/*.py"],
  // Classes built at run time, which no file spells out whole: Jinja's alert-{{ category }} and
  // btn-outline-{{ ... }}, validation states, and the states htmx and the browser toggle.
  safelist: {
    standard: ["is-invalid", "is-valid", "was-validated", "show", "active", "disabled", "visually-hidden",
               "visually-hidden-focusable", /^alert-/, /^btn-/],
  },
  // Keep every custom property (the app's own CSS reads Bootstrap's --bs-* variables); drop the @font-face
  // rules of families no kept rule uses (VideoJS's icon font, inlined as 8 KB of base64).
  variables: false,
  fontFace: true,
  keyframes: true,
});
fs.writeFileSync(output, result.css);
