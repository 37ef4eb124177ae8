// The installable app on the page side (issue 24): registers the service worker, keeps a logging
// form filled in without signal in the phone's queue (offline-store.js), sends the queue when the
// connection returns, lists refused entries to fix, and clears everything this user left on the
// phone at sign-out. No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";
  var body = document.body;
  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).catch(function () { /* no worker: online only */ });
  }
  var store = window.CdsOffline;
  var status = document.getElementById("offline-status");
  var USER_CACHE = "pages-u";
  if (!store || !window.indexedDB) { return; }
  var user = status ? status.dataset.user : "";

  // Whose copies this phone may keep: only the signed-in user's. The sign-in page (nobody) or another
  // user's page deletes the copies of everyone else; their unsent entries stay, sent only by them.
  var claimed = store.getMeta("user").then(function (current) {
    if (current === user) { return null; }
    return store.setMeta("user", user).then(function () {
      return window.caches ? caches.keys() : [];
    }).then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(USER_CACHE) === 0 && name !== USER_CACHE + user;
      }).map(function (name) { return caches.delete(name); }));
    });
  });
  if (!status) { return; }
  var texts = status.dataset;
  var FRESH_MS = 15 * 60 * 1000;

  function fmt(text, value) { return (text || "").replace("{n}", value); }
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : null;
  }
  // Where to act on a refusal (a locked month's page): a link of this site only.
  function actionLink(errors, className) {
    var link = errors && errors.link;
    if (!link || typeof link.url !== "string" || link.url.charAt(0) !== "/" || link.url.charAt(1) === "/") { return null; }
    var a = document.createElement("a");
    a.className = className;
    a.href = link.url;
    a.textContent = link.text || link.url;
    return a;
  }
  function note(text) {
    var el = status.querySelector(".js-offline-note");
    el.textContent = text || "";
    if (text) { status.hidden = false; }
  }

  // "Chờ gửi (n)" and "Cần sửa (n)" above every page while this phone holds something.
  function refresh() {
    return store.counts(user).then(function (counts) {
      var pending = status.querySelector(".js-offline-pending");
      var refused = status.querySelector(".js-offline-refused");
      pending.textContent = fmt(texts.textPending, counts.pending);
      pending.hidden = counts.pending === 0;
      refused.textContent = fmt(texts.textRefused, counts.refused);
      refused.hidden = counts.refused === 0;
      if (!navigator.onLine && !status.querySelector(".js-offline-note").textContent) { note(texts.textOffline); }
      status.hidden = pending.hidden && refused.hidden && !status.querySelector(".js-offline-note").textContent;
      return renderQueue();
    });
  }

  function syncNow(again) {
    if (!navigator.onLine) { return refresh(); }
    return store.sync(user, csrfToken(), again === true).then(function (result) {
      if (result.sent) { note(fmt(texts.textSent, result.sent)); }
      return refresh();
    });
  }

  // --- Keeping a form in the queue ---------------------------------------------------------------
  var entryId = new URLSearchParams(window.location.search).get("offline_entry");

  function summary(form, label) {
    var parts = [label];
    ["date", "address", "title", "place"].forEach(function (name) {
      var el = form.elements[name];
      if (el && el.value && el.value.trim) { parts.push(el.value.trim()); }
    });
    var total = 0;
    form.querySelectorAll("input[name$='-citizens_assisted'], input[name=participants]").forEach(function (el) {
      total += parseInt(el.value, 10) || 0;
    });
    if (total) { parts.push(fmt(form.dataset.offlineCount || "{n}", total)); }  // "4 người dân"
    return parts.join(" · ");
  }

  function queueForm(form, submitter) {
    var fields = [];
    new FormData(form, submitter || null).forEach(function (value, name) {
      if (value instanceof Blob && value.size === 0) { return; }  // an empty file input
      fields.push([name, value]);
    });
    var entry = {
      id: entryId || crypto.randomUUID(),
      user: user,
      url: window.location.pathname,
      kind: form.dataset.offlineQueue,
      summary: summary(form, form.dataset.offlineLabel),
      fields: fields,
      status: "pending",
      errors: null,
      createdAt: Date.now()
    };
    return store.put(entry).then(function () {
      if (form.dataset.draft && window.sessionStorage) {  // volunteers.js's draft: this one is kept now
        window.sessionStorage.removeItem("cds-draft:" + form.dataset.draft);
      }
      if (navigator.serviceWorker && navigator.serviceWorker.ready) {
        navigator.serviceWorker.ready.then(function (registration) {
          if (registration.sync) { return registration.sync.register("cds-offline"); }
          return null;
        }).catch(function () { /* Background Sync missing: the next online event or page load sends it */ });
      }
      window.location.href = texts.home + "?queued=1";
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.offlineQueue) { return; }
    if (navigator.onLine) {
      if (!entryId) { return; }  // the ordinary page post
      // A refused entry sent again from the form: the page answers now, the phone lets it go.
      event.preventDefault();
      store.remove(entryId).then(function () { form.submit(); });
      return;
    }
    event.preventDefault();
    queueForm(form, event.submitter);
  });

  // A form opened from the phone's copy must not repeat a key: each new entry gets its own.
  function freshKey(form) {
    var key = form.querySelector("input[name=idempotency_key]");
    if (key && form.dataset.bound !== "1" && !entryId && window.crypto && crypto.randomUUID) {
      key.value = crypto.randomUUID();
    }
  }

  // A refused entry opened to fix: its values back in the form, the server's errors beside them.
  function fillFromEntry(form) {
    return store.get(entryId).then(function (entry) {
      if (!entry || entry.user !== user) { return; }
      var values = {};
      entry.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
      Object.keys(values).forEach(function (name) {
        if (name === "csrfmiddlewaretoken") { return; }
        form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (el) {
          if (el.type === "checkbox" || el.type === "radio") {
            el.checked = values[name].indexOf(el.value) !== -1;
          } else if (el.type === "file") {
            var transfer = new DataTransfer();
            values[name].forEach(function (file) { if (file instanceof File) { transfer.items.add(file); } });
            el.files = transfer.files;
          } else {
            el.value = values[name][0];
          }
        });
      });
      var errors = entry.errors || { messages: [], fields: {} };
      Object.keys(errors.fields || {}).forEach(function (name) {
        form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (el) {
          el.classList.add("is-invalid");
          var details = el.closest("details");
          if (details) { details.open = true; }
        });
      });
      if (errors.messages && errors.messages.length) {
        var box = document.createElement("div");
        box.className = "alert alert-danger offline-refused";
        box.setAttribute("role", "alert");
        var head = document.createElement("div");
        head.className = "fw-semibold";
        head.textContent = form.dataset.offlineRefused;
        var list = document.createElement("ul");
        list.className = "mb-0";
        errors.messages.forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          list.appendChild(item);
        });
        box.appendChild(head);
        box.appendChild(list);
        var month = actionLink(errors, "btn btn-sm btn-outline-secondary mt-2 offline-lock-link");
        if (month) { box.appendChild(month); }
        form.parentNode.insertBefore(box, form);
      }
      form.dispatchEvent(new Event("input", { bubbles: true }));  // the running total
    });
  }

  // --- The list of entries on this phone ---------------------------------------------------------
  function renderQueue() {
    var list = document.getElementById("offline-entries");
    if (!list) { return Promise.resolve(); }
    var t = list.dataset;
    return store.list(user).then(function (entries) {
      list.textContent = "";
      if (!entries.length) {
        var empty = document.createElement("li");
        empty.className = "list-group-item text-body-secondary";
        empty.textContent = t.textEmpty;
        list.appendChild(empty);
        return;
      }
      entries.forEach(function (entry) {
        var item = document.createElement("li");
        item.className = "list-group-item offline-entry offline-entry-" + entry.status;
        var title = document.createElement("div");
        title.className = "fw-semibold";
        title.textContent = entry.summary;
        var state = document.createElement("div");
        state.className = "small " + (entry.status === "refused" ? "text-danger" : "text-body-secondary");
        state.textContent = entry.status === "refused" ? t.textRefused : t.textPending;
        item.appendChild(title);
        item.appendChild(state);
        if (entry.errors && entry.errors.messages) {
          var errors = document.createElement("ul");
          errors.className = "small text-danger mb-1 offline-errors";
          entry.errors.messages.forEach(function (message) {
            var li = document.createElement("li");
            li.textContent = message;
            errors.appendChild(li);
          });
          item.appendChild(errors);
        }
        var actions = document.createElement("div");
        actions.className = "d-flex flex-wrap gap-2 mt-1";
        if (entry.status === "refused") {
          var month = actionLink(entry.errors, "btn btn-sm btn-outline-secondary w-100 offline-lock-link");
          if (month) { actions.appendChild(month); }
          var fix = document.createElement("a");
          fix.className = "btn btn-sm btn-primary";
          fix.href = entry.url + "?offline_entry=" + encodeURIComponent(entry.id);
          fix.textContent = t.textFix;
          actions.appendChild(fix);
        }
        var drop = document.createElement("button");
        drop.type = "button";
        drop.className = "btn btn-sm btn-outline-danger";
        drop.textContent = t.textDelete;
        drop.addEventListener("click", function () {
          if (window.confirm(t.textConfirmDelete)) { store.remove(entry.id).then(refresh); }
        });
        actions.appendChild(drop);
        item.appendChild(actions);
        list.appendChild(item);
      });
    });
  }
  var sendButton = document.querySelector(".js-offline-send");
  if (sendButton) { sendButton.addEventListener("click", function () { syncNow(true); }); }

  // --- Sign-out: this user's queue and copies leave the phone (after a warning if unsent) ---------
  function clearThisPhone() {
    return store.clearUser(user).then(function () {
      return window.caches ? caches.keys() : [];
    }).then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf(USER_CACHE) === 0; })
        .map(function (name) { return caches.delete(name); }));
    }).then(function () {
      return store.setMeta("user", "");
    }).then(function () {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
      }
      if (window.sessionStorage) {
        Object.keys(window.sessionStorage).forEach(function (key) {
          if (key.indexOf("cds-draft:") === 0) { window.sessionStorage.removeItem(key); }
        });
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.getAttribute && form.getAttribute("action");
    var isSignOut = form.classList.contains("js-signout") || (action && action === body.dataset.logoutUrl);
    if (!isSignOut || form.dataset.cleared === "1") { return; }
    event.preventDefault();
    store.counts(user).then(function (counts) {
      var unsent = counts.pending + counts.refused;
      if (unsent && !window.confirm(fmt(texts.textSignout, unsent))) { return false; }
      return clearThisPhone().then(function () { return true; });
    }).then(function (go) {
      if (go) { form.dataset.cleared = "1"; form.submit(); }
    });
  });

  // --- Keeping the logging pages for offline use -------------------------------------------------
  // While online, the pages a leader logs from (and each team's roster) are fetched once through
  // the worker, which keeps them for this user only. <html data-offline-ready> says it is done.
  // The first visit: the worker installs while the page loads. A page whose load began before the
  // worker was active is not among those it claimed when it activated, so it asks to be claimed
  // (and looks again after listening: the claim may already have landed).
  function controlled() {
    var sw = navigator.serviceWorker;
    return sw.ready.then(function (registration) {
      if (sw.controller) { return null; }
      return new Promise(function (resolve) {
        sw.addEventListener("controllerchange", resolve, { once: true });
        if (sw.controller) { resolve(); return; }
        registration.active.postMessage({ type: "claim" });
      });
    });
  }

  function warm() {
    if (!navigator.onLine || !navigator.serviceWorker) { return Promise.resolve(); }
    return controlled().then(function () {
      var urls = JSON.parse(status.dataset.pages || "[]");
      var team = document.querySelector("form[data-offline-queue] select[name=team][hx-get]");
      if (team) {
        Array.prototype.slice.call(team.options, 0, 20).forEach(function (option) {
          if (option.value) { urls.push(team.getAttribute("hx-get") + "?team=" + encodeURIComponent(option.value)); }
        });
      }
      return caches.open(USER_CACHE + user).then(function (cache) {
        return Promise.all(urls.map(function (url) {
          return cache.match(url, { ignoreVary: true }).then(function (hit) {
            var age = hit ? Date.now() - Date.parse(hit.headers.get("Date") || 0) : Infinity;
            if (age < FRESH_MS) { return null; }  // teams and rosters change seldom: refreshed every 15 min
            return fetch(url, { credentials: "same-origin" }).catch(function () { return null; });
          });
        }));
      });
    }).then(function () { document.documentElement.dataset.offlineReady = "1"; });
  }

  var form = document.querySelector("form[data-offline-queue]");
  if (form) {
    freshKey(form);
    if (entryId) { fillFromEntry(form); }
  }
  if (new URLSearchParams(window.location.search).get("queued")) { note(texts.textQueued); }
  window.addEventListener("online", function () { note(""); syncNow(); });
  window.addEventListener("offline", function () { note(texts.textOffline); });
  if (typeof BroadcastChannel !== "undefined") {
    new BroadcastChannel(store.CHANNEL).addEventListener("message", function (event) {
      if (event.data && event.data.sent) { note(fmt(texts.textSent, event.data.sent)); }
      refresh();
    });
  }
  // A failed send (the server away) must not stop the pages being kept.
  claimed.then(syncNow).catch(function () { return null; }).then(warm);
})();
