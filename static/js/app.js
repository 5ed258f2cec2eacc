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
  // A list's filters (the filter_box macro): folded on a phone, open where there is room; the "Filtri" button
  // counts the filters that are on as they change (a field differing from its data-default, "" unless said).
  function openFilters(root) {
    if (!window.matchMedia("(min-width: 992px)").matches) return;
    (root || document).querySelectorAll("details[data-filter-box]").forEach(function (box) { box.open = true; });
  }
  document.addEventListener("DOMContentLoaded", function () { openFilters(document); });
  document.addEventListener("htmx:load", function (event) { openFilters(event.target); });
  document.addEventListener("change", function (event) {
    var box = event.target.closest && event.target.closest("details[data-filter-box]");
    var count = box && box.querySelector("[data-filter-count]");
    if (!count) return;
    var on = 0;
    box.querySelectorAll("select[name], input[name]:not([type=hidden])").forEach(function (field) {
      var value = field.type === "checkbox" ? (field.checked ? field.value : "") : field.value;
      if (value && value !== (field.dataset.default || "")) on += 1;
    });
    count.textContent = (on === 1 ? count.dataset.one : count.dataset.many).replace("{n}", on);
    count.hidden = on === 0;
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
