// The outbox's protocol (static/js/outbox-protocol.js): server answers in, outcomes out.
const test = require("node:test");
const assert = require("node:assert/strict");
const protocol = require("../../static/js/outbox-protocol.js");

// A 422 page as the server renders it: the hidden sign-in banner comes first, outside <main>.
const PAGE_422 = `<!doctype html><html><body>
<div class="outbox-status"><div class="alert alert-warning" id="outbox-signin" role="alert" hidden>
  La sessione è scaduta. Ciò che hai salvato resta su questo telefono.</div></div>
<main id="main"><h1>Nuova visita</h1>
<div class="alert alert-danger" role="alert" tabindex="-1" data-autofocus data-form-errors>
  <p class="mb-0">Alcuni campi richiedono attenzione.</p></div>
<form method="post" data-outbox>
  <div class="invalid-feedback d-block" id="followups-0-due_on-error">Indica una scadenza per questo impegno.</div>
  <div class="invalid-feedback d-block" id="note-error">Scrivi la nota in al massimo 500 caratteri &amp; basta.</div>
</form></main></body></html>`;

test("a refused form shows the field errors, never the sign-in banner", () => {
  const outcome = protocol.outcomeOf({ status: 422, url: "http://x/households/1/visits/new", text: PAGE_422,
                                       contentType: "text/html; charset=utf-8" });
  assert.equal(outcome.result, "rejected");
  assert.equal(outcome.form, true);
  assert.equal(outcome.message,
    "Indica una scadenza per questo impegno. Scrivi la nota in al massimo 500 caratteri & basta.");
  assert.doesNotMatch(outcome.message, /sessione/);
});

test("form-level errors of the summary come first, with the fields' own", () => {
  const html = `<main><div class="alert" role="alert" data-form-errors><p class="mb-1" data-form-error>Questa famiglia non è più seguita.</p></div>
    <div class="invalid-feedback d-block">Scegli il tipo.</div></main>`;
  assert.equal(protocol.serverMessage(html, "text/html"), "Questa famiglia non è più seguita. Scegli il tipo.");
});

test("a JSON refusal gives its message; an error page its text", () => {
  assert.equal(protocol.serverMessage('{"error": "owner_not_found", "message": "No report r1 that you can see."}',
                                      "application/json"), "No report r1 that you can see.");
  const page = '<div role="alert" hidden>La sessione è scaduta.</div><main><h1>Errore 404</h1><p class="lead" data-testid="error-message">Pagina non trovata.</p></main>';
  assert.equal(protocol.serverMessage(page, "text/html"), "Pagina non trovata.");
});

test("each answer means one thing for the item", () => {
  const of = (answer) => protocol.outcomeOf({ url: "http://x/a", ...answer });
  assert.deepEqual(of({ status: 204, location: "/visits/u1" }), { result: "sent", location: "/visits/u1" });
  assert.equal(of({ status: 200, url: "http://x/login" }).result, "signin");
  assert.equal(of({ status: 401 }).result, "signin");
  assert.equal(of({ status: 200, offline: true }).result, "offline");
  assert.equal(of({ networkError: true }).result, "offline");
  assert.deepEqual(of({ timedOut: true }), { result: "retry", status: 0, reason: "timeout" });
  for (const status of [408, 429, 500, 502, 503]) assert.equal(of({ status }).result, "retry", String(status));
  const gone = of({ status: 404, text: '{"message": "No report x"}', contentType: "application/json" });
  assert.deepEqual([gone.result, gone.reason, gone.form, gone.message], ["rejected", "gone", false, "No report x"]);
  assert.equal(of({ status: 410 }).reason, "gone");
  assert.equal(of({ status: 409, text: "<main><form data-outbox></form></main>" }).form, true);
  assert.equal(of({ status: 409, text: "<main><h1>Conflitto</h1></main>" }).form, false);
});

test("a saved form goes with a fresh token, never the page's old one", () => {
  const item = { action: "http://x/v", fields: [["csrf_token", "old"], ["uuid", "u1"], ["note", "x"]] };
  const request = protocol.formRequest(item, "new", true);
  assert.deepEqual(request.entries, [["uuid", "u1"], ["note", "x"], ["csrf_token", "new"]]);
  assert.equal(request.headers["X-Cortile-Outbox"], "1");
  assert.equal(request.multipart, false);
  assert.equal(protocol.formRequest(item, "new", false).headers["X-Cortile-Outbox"], "replay");
  assert.deepEqual(item.fields[0], ["csrf_token", "old"], "the item itself is not changed");
});
