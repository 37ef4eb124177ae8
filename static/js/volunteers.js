// Volunteers pages: the phone form keeps a draft, and destructive buttons ask first.
// No inline scripts anywhere (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  var PREFIX = "cds-draft:";

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" && el.type !== "submit";
    });
  }

  // A connection that drops while saving must not lose what was typed: keep a draft in the
  // browser (with the idempotency key, so a resend cannot create a second entry).
  function setUpDraft(form) {
    var key = PREFIX + form.dataset.draft;
    var store = window.sessionStorage;
    if (!store) { return; }
    if (form.dataset.bound !== "1") {
      var saved = store.getItem(key);
      if (saved) {
        try {
          var values = JSON.parse(saved);
          fieldsOf(form).forEach(function (el) {
            if (Object.prototype.hasOwnProperty.call(values, el.name)) { el.value = values[el.name]; }
          });
        } catch (e) { store.removeItem(key); }
      }
    }
    form.addEventListener("input", function () {
      var values = {};
      fieldsOf(form).forEach(function (el) { values[el.name] = el.value; });
      store.setItem(key, JSON.stringify(values));
    });
  }

  document.querySelectorAll(".js-draft-clear").forEach(function (el) {
    if (window.sessionStorage) { window.sessionStorage.removeItem(PREFIX + el.dataset.draft); }
  });
  document.querySelectorAll("form.js-draft").forEach(setUpDraft);

  // The "add a volunteer" link follows the team chosen in the form.
  var teamSelect = document.querySelector("form.js-draft select[name=team]");
  var joinLink = document.querySelector(".js-join-link");
  if (teamSelect && joinLink) {
    teamSelect.addEventListener("change", function () {
      var url = new URL(joinLink.href, window.location.href);
      if (teamSelect.value) { url.searchParams.set("team", teamSelect.value); } else { url.searchParams.delete("team"); }
      joinLink.href = url.pathname + url.search;
    });
  }

})();
