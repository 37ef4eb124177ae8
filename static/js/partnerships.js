// Agreement form: add rows to the inline formsets (parties, objectives, commitments, targets).
// Loaded as a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  function renumber(fieldset) {
    fieldset.querySelectorAll(".formset-rows .row-number").forEach(function (badge, i) {
      badge.textContent = String(i + 1);
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".js-add-row") : null;
    if (!button) { return; }
    var fieldset = button.closest(".formset");
    var prefix = fieldset.dataset.prefix;
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var index = parseInt(total.value, 10);
    var html = fieldset.querySelector("template.formset-empty").innerHTML.replace(/__prefix__/g, String(index));
    var rows = fieldset.querySelector(".formset-rows");
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    renumber(fieldset);
    var first = rows.lastElementChild.querySelector("select, input:not([type=hidden]), textarea");
    if (first) { first.focus(); }
  });
  // The printable view's "Print" button.
  document.addEventListener("click", function (event) {
    if (event.target.classList && event.target.classList.contains("js-print")) { window.print(); }
  });
})();
