// The offline queue (issue 24): forms filled in without signal, kept in IndexedDB per user, and the
// sync that posts them again. Loaded by the pages (offline.js) and by the service worker (sw.js), so
// both send the same way. No inline script: the Content-Security-Policy forbids it.
(function (scope) {
  "use strict";
  var DB_NAME = "cds-offline";
  var CHANNEL = "cds-offline";
  var dbPromise = null;

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = scope.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var db = request.result;
          var entries = db.createObjectStore("entries", { keyPath: "id" });
          entries.createIndex("user", "user");
          db.createObjectStore("meta", { keyPath: "key" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  // One request in one transaction, as a promise.
  function run(storeName, mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result = action(tx.objectStore(storeName));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function list(user) {
    return run("entries", "readonly", function (store) {
      return store.index("user").getAll(String(user));
    }).then(function (entries) {
      return (entries || []).sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }

  function put(entry) { return run("entries", "readwrite", function (store) { return store.put(entry); }); }
  function get(id) { return run("entries", "readonly", function (store) { return store.get(id); }); }
  function remove(id) { return run("entries", "readwrite", function (store) { return store.delete(id); }); }

  function clearUser(user) {
    return list(user).then(function (entries) {
      return run("entries", "readwrite", function (store) {
        entries.forEach(function (entry) { store.delete(entry.id); });
      });
    });
  }

  function counts(user) {
    return list(user).then(function (entries) {
      var out = { pending: 0, refused: 0 };
      entries.forEach(function (entry) { out[entry.status === "refused" ? "refused" : "pending"] += 1; });
      return out;
    });
  }

  function getMeta(key) {
    return run("meta", "readonly", function (store) { return store.get(key); }).then(function (row) {
      return row ? row.value : null;
    });
  }
  function setMeta(key, value) {
    return run("meta", "readwrite", function (store) { return store.put({ key: key, value: value }); });
  }

  // Tell every page of the portal that the queue changed; "sent" counts the entries a sync delivered,
  // so the page says so whoever sent them (the page itself, or the worker woken by Background Sync).
  function notify(sent) {
    if (typeof BroadcastChannel === "undefined") { return; }
    var channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ type: "changed", sent: sent || 0 });
    channel.close();
  }

  function body(entry, token) {
    var data = new FormData();
    entry.fields.forEach(function (pair) {
      var value = pair[0] === "csrfmiddlewaretoken" && token ? token : pair[1];
      if (value instanceof Blob) { data.append(pair[0], value, value.name || "photo"); } else { data.append(pair[0], value); }
    });
    return data;
  }

  // Post one entry. The same idempotency key rides in its fields every time, so an answer lost on
  // the way back (saved, but the phone never heard) cannot make a second session: the server
  // answers the resend with the first one. Returns "sent", "refused", "kept" (try later) or "stop".
  function send(entry, token) {
    return scope.fetch(entry.url, {
      method: "POST",
      body: body(entry, token),
      credentials: "same-origin",
      redirect: "manual",  // a redirect means signed out: keep the entry, never follow to a page
      headers: { "X-Offline-Sync": "1", "X-Offline-User": String(entry.user), "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 201) { return remove(entry.id).then(function () { return "sent"; }); }
      // Signed out (a redirect to the sign-in page), another user's session (409), the CSRF check of
      // a session that ended (403), the server down: keep the entry for its own user's next try.
      if (response.type === "opaqueredirect" || [403, 409].indexOf(response.status) !== -1 || response.status >= 500) {
        return "stop";
      }
      return response.json().catch(function () { return null; }).then(function (answer) {
        entry.status = "refused";
        entry.errors = answer && answer.messages ? { messages: answer.messages, fields: answer.fields || {}, link: answer.link || null }
          : { messages: [entry.refusedText || ("HTTP " + response.status)], fields: {} };
        entry.refusedAt = Date.now();
        return put(entry).then(function () { return "refused"; });
      });
    }, function () { return "stop"; });  // no network after all
  }

  // Send the user's pending entries, oldest first; only ever that user's (the server checks too).
  // ``again``: refused ones too (the person pressed "Gửi ngay": a month withdrawn since, or a team
  // fixed in the portal, may take the entry as it is; a refusal again only refreshes its reason).
  function syncNow(user, token, again) {
    var result = { sent: 0, refused: 0 };
    if (!user) { return Promise.resolve(result); }
    return list(user).then(function (entries) {
      var pending = entries.filter(function (entry) { return again || entry.status !== "refused"; });
      var chain = Promise.resolve(false);
      pending.forEach(function (entry) {
        chain = chain.then(function (stopped) {
          if (stopped) { return true; }
          return send(entry, token).then(function (outcome) {
            if (outcome === "sent") { result.sent += 1; }
            if (outcome === "refused") { result.refused += 1; }
            return outcome === "stop";
          });
        });
      });
      return chain;
    }).then(function () {
      if (result.sent || result.refused) { notify(result.sent); }
      return result;
    });
  }

  // One sync at a time across the pages and the worker (Web Locks where the browser has them).
  function sync(user, token, again) {
    if (scope.navigator && scope.navigator.locks) {
      return scope.navigator.locks.request("cds-offline-sync", function () { return syncNow(user, token, again); });
    }
    return syncNow(user, token, again);
  }

  scope.CdsOffline = {
    CHANNEL: CHANNEL,
    list: list, get: get, put: put, remove: remove, clearUser: clearUser, counts: counts,
    getMeta: getMeta, setMeta: setMeta, notify: notify, sync: sync
  };
})(self);
