// Cortile: small enhancements; every page works without them.
(function () {
  "use strict";
  // Move focus to a form's error summary so screen readers announce it.
  function focusErrors(root) {
    var alert = (root || document).querySelector("[data-autofocus]");
    if (alert) alert.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrors(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusErrors(event.target); });
  // htmx swaps 4xx/5xx responses too: our error pages and validation fragments are meant to be seen.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 422 || status === 409 || status === 400) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });
  // The bottom bar's "Altro" sheet closes on a tap elsewhere or on Escape, as a menu does.
  function closeMore(except) {
    document.querySelectorAll(".app-bar details[open]").forEach(function (more) {
      if (more !== except) more.open = false;
    });
  }
  document.addEventListener("click", function (event) { closeMore(event.target.closest(".app-bar details")); });
  document.addEventListener("keydown", function (event) {
    var open = document.querySelector(".app-bar details[open]");
    if (event.key === "Escape" && open) { open.open = false; open.querySelector("summary").focus(); }
  });
})();
