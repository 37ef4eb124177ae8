// Portal behaviour without inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  // Selects that apply themselves on change (the language switch, list filters).
  document.addEventListener("change", function (event) {
    var el = event.target;
    // A date typed as eight digits (a phone's numeric keypad has no "/") reads back as dd/mm/yyyy.
    if (el.hasAttribute && el.hasAttribute("data-date-dmy") && /^\d{8}$/.test(el.value.trim())) {
      var d = el.value.trim();
      el.value = d.slice(0, 2) + "/" + d.slice(2, 4) + "/" + d.slice(4);
    }
    if (el.classList && el.classList.contains("js-autosubmit") && el.form) {
      el.form.submit();
    }
  });
  // htmx requests carry the CSRF token from the cookie-less meta tag or the form.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
  // An empty required field says so in the page's language (body's data-text-required), not the
  // browser's: a phone set to English said "Please fill out this field." on a Vietnamese form.
  document.addEventListener("invalid", function (event) {
    var el = event.target;
    if (el.validity && el.validity.valueMissing && document.body.dataset.textRequired) {
      el.setCustomValidity(document.body.dataset.textRequired);
    }
  }, true);
  document.addEventListener("input", function (event) {
    if (event.target.setCustomValidity) { event.target.setCustomValidity(""); }
  });
  // A form marked js-confirm asks first (data-confirm); cancelled, nothing else sees the submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList && form.classList.contains("js-confirm") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // A form marked js-once cannot be submitted twice by a double tap. Disabling the button inside the
  // submit event drops its name=value from the post (the browser builds the form data after the event),
  // so the button that was pressed is copied into a hidden input first. Listening on window runs after
  // every handler on document (js-confirm), so a cancelled submit leaves the form usable.
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("js-once") || event.defaultPrevented) { return; }
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      var carrier = form.querySelector("input[type=hidden].js-once-submitter");
      if (!carrier) {
        carrier = document.createElement("input");
        carrier.type = "hidden";
        carrier.className = "js-once-submitter";
        form.appendChild(carrier);
      }
      carrier.name = submitter.name;
      carrier.value = submitter.value;
    }
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = true; });
  });
  // Unit pickers (core.widgets.UnitPicker, marked data-unit-picker): type a name, with or without diacritics, and choose from
  // the units of your scope that the server finds (data-url); the page never holds thousands of options.
  function unitPickers(root) {
    if (typeof TomSelect === "undefined") { return; }
    root.querySelectorAll("select[data-unit-picker]").forEach(function (el) {
      if (el.tomselect) { return; }
      new TomSelect(el, {
        valueField: "value",
        labelField: "text",
        searchField: [],
        maxOptions: 50,
        loadThrottle: 250,
        preload: "focus",
        plugins: { clear_button: { title: el.dataset.clear || "×" } },
        closeAfterSelect: true,
        // Chosen: close the list and the phone's keyboard (a refresh would reopen it over the buttons).
        onItemAdd: function () { this.blur(); },
        // Each key refreshes the list at once (the server is asked at most every 250 ms): a refresh
        // held back 300 ms, as tom-select does by default, fires after a quick choice and reopens the
        // list, focus and keyboard over the buttons below.
        refreshThrottle: 0,
        placeholder: el.dataset.placeholder,
        // The server already matched the words without diacritics: keep every unit it sent.
        score: function () { return function () { return 1; }; },
        load: function (query, callback) {
          var url = el.dataset.url + "&q=" + encodeURIComponent(query);
          fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
            .then(function (response) { return response.json(); })
            .then(function (data) { callback(data.results); })
            .catch(function () { callback(); });
        },
        shouldLoad: function () { return true; },
        render: {
          option: function (data, escape) {
            var parent = data.parent ? '<div class="small text-muted">' + escape(data.parent) + "</div>" : "";
            return "<div>" + escape(data.text) + parent + "</div>";
          },
          no_results: function () { return '<div class="no-results">' + (el.dataset.noResults || "…") + "</div>"; }
        }
      });
    });
  }
  unitPickers(document);
  document.body.addEventListener("htmx:load", function (event) { unitPickers(event.detail.elt); });
  // Rows a formset adds from its template (partnerships.js) get their pickers too.
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) { if (node.querySelectorAll) { unitPickers(node); } });
    });
  }).observe(document.body, { childList: true, subtree: true });
  // A form htmx sent (no page load) or a page restored from the back-forward cache can be sent again.
  function release(form) {
    if (!form || !form.classList || !form.classList.contains("js-once")) { return; }
    delete form.dataset.submitted;
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = false; });
  }
  document.body.addEventListener("htmx:afterRequest", function (event) { release(event.detail.elt.closest && event.detail.elt.closest("form")); });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { document.querySelectorAll("form.js-once").forEach(release); }
  });
})();
