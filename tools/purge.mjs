// Bootstrap Italia reduced to the rules Cortile uses (run by tools/build_assets.py at set-up).
// Content: every template, script and Python module (forms and panels set classes from Python).
// Usage: node tools/purge.mjs CSS_IN CSS_OUT [SAFELIST_JSON]
// SAFELIST_JSON: the class names templates build from vocabularies (vocabulary_classes in tools/build_assets.py).
import fs from "node:fs";
import { PurgeCSS } from "purgecss";

const [input, output, built = "[]"] = process.argv.slice(2);
const [result] = await new PurgeCSS().purge({
  css: [input],
  content: ["templates/**/*.html", "static/js/**/*.js", "fieldapp/**/*.py"],
  // Classes built at run time, which no file spells out whole: those built from vocabularies, validation
  // states, and the states htmx and the browser toggle. Templates spell every other class whole.
  safelist: {
    standard: [...JSON.parse(built), "is-invalid", "is-valid", "was-validated", "show", "active", "disabled",
               "visually-hidden", "visually-hidden-focusable"],
  },
  // Keep every custom property (the app's own CSS reads Bootstrap's --bs-* variables); drop the @font-face
  // rules of families no kept rule uses (VideoJS's icon font, inlined as 8 KB of base64).
  variables: false,
  fontFace: true,
  keyframes: true,
});
fs.writeFileSync(output, result.css);
