// Field forms (visits, meetings): repeatable rows and parts that depend on a choice.
// Every form works without this file: rows it adds are extra, parts it hides stay visible.
(function () {
  "use strict";

  function init(root) {
    root.querySelectorAll("[data-add-row]").forEach(function (button) {
      var container = document.getElementById(button.dataset.addRow);
      if (!container) return;
      var max = parseInt(button.dataset.max, 10) || 10;
      button.hidden = container.querySelectorAll("[data-row]").length >= max;
    });
    root.querySelectorAll("[data-show-for]").forEach(applyShowFor);
  }

  // <div data-show-for="context" data-show-value="building">: shown while that radio is chosen.
  function applyShowFor(part) {
    var form = part.closest("form");
    if (!form) return;
    var chosen = form.querySelector('input[name="' + part.dataset.showFor + '"]:checked');
    var show = chosen && chosen.value === part.dataset.showValue;
    part.hidden = !show;
    part.querySelectorAll("select, input").forEach(function (input) { input.disabled = !show; });
  }

  function addRow(button) {
    var container = document.getElementById(button.dataset.addRow);
    var template = document.getElementById(button.dataset.template);
    if (!container || !template) return;
    var max = parseInt(button.dataset.max, 10) || 10;
    var count = container.querySelectorAll("[data-row]").length;
    if (count >= max) return;
    var index = parseInt(container.dataset.nextIndex, 10) || count;
    container.dataset.nextIndex = String(index + 1);
    container.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__index__/g, String(index)));
    var first = container.lastElementChild && container.lastElementChild.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
    button.hidden = count + 1 >= max;
  }

  if (window.cortileFieldForms) {
    // Loaded again by a boosted navigation: the listeners below are already in place.
    window.cortileFieldForms(document);
    return;
  }
  window.cortileFieldForms = init;

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (button) { event.preventDefault(); addRow(button); }
  });
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || event.target.type !== "radio") return;
    form.querySelectorAll('[data-show-for="' + event.target.name + '"]').forEach(applyShowFor);
  });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
