// E-government support pages: steppers, team → unit pre-fill, running total (the roster comes by htmx).
// No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  var form = document.querySelector(".session-form");
  if (!form) { return; }

  function toInt(value) {
    var n = parseInt(value, 10);
    return isNaN(n) || n < 0 ? 0 : n;
  }

  function updateTotal() {
    var total = 0;
    form.querySelectorAll("input[name$='-citizens_assisted']").forEach(function (input) {
      total += toInt(input.value);
    });
    var out = form.querySelector(".js-session-total");
    if (out) { out.textContent = String(total); }
  }

  // +/− steppers: never below zero.
  form.addEventListener("click", function (event) {
    var button = event.target.closest(".js-step");
    if (!button) { return; }
    var input = document.getElementById(button.dataset.target);
    if (!input) { return; }
    input.value = String(Math.max(0, toInt(input.value) + parseInt(button.dataset.step, 10)));
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  form.addEventListener("input", updateTotal);

  // Choosing a team pre-fills the unit; its roster is loaded by htmx (hx-get on the select).
  var teamUnits = {};
  var data = document.getElementById("team-units");
  if (data) { teamUnits = JSON.parse(data.textContent); }
  var team = form.querySelector("select[name=team]");
  var unit = form.querySelector("select[name=org_unit]");
  if (team) {
    team.addEventListener("change", function () {
      if (unit && teamUnits[team.value]) { unit.value = String(teamUnits[team.value]); }
    });
  }
  updateTotal();
})();
