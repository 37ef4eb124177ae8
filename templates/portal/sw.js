// The portal's service worker (issue 24), served at /sw.js so that it controls the whole site.
// Version {{ version }}: a new version replaces the app shell's cache when it activates.
//
// What it keeps, and for whom:
// - the app shell (CSS, JS, icons): the same for everyone, cache "shell-<version>";
// - the leader's logging pages (home, the two forms, the roster of each team, the queue page), which
//   the pages fetch through it while online (offline.js): a copy in "pages-u<user id>", kept only when
//   the answer's X-Portal-User is the user the pages last said is signed in (IndexedDB "meta"), and
//   read back only for that user. A page for another user, or for nobody (the sign-in page), deletes
//   every other user's copies (offline.js); so does sign-out.
// - nothing else: no API answer, no other page, no POST.
// Online, it stays out of the way: pages and files go to the network and the browser's own cache.
"use strict";
importScripts("{{ store_url }}");

var VERSION = "{{ version }}";
var SHELL = "shell-" + VERSION;
var SHELL_URLS = {{ shell_json|safe }};
var STATIC_PREFIX = "{{ static_prefix }}";
var OFFLINE_PAGES = {{ pages_json|safe }};
var ROSTER_PATH = "{{ roster_path }}";
var OFFLINE_HTML = {{ offline_html_json|safe }};
var USER_PREFIX = "pages-u";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_URLS); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("shell-") === 0 && name !== SHELL;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// The copies of one user's pages only; everyone else's go.
function keepOnlyUser(user) {
  return CdsOffline.getMeta("user").then(function (current) {
    if (current === user) { return null; }
    return CdsOffline.setMeta("user", user).then(function () {
      return caches.keys();
    }).then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(USER_PREFIX) === 0 && name !== USER_PREFIX + user;
      }).map(function (name) { return caches.delete(name); }));
    });
  });
}

// A page is kept by its path (a refused entry opens the form with ?offline_entry=...), a roster by team.
function cacheKey(url) {
  if (url.pathname === ROSTER_PATH) { return url.origin + url.pathname + "?team=" + (url.searchParams.get("team") || ""); }
  return url.origin + url.pathname;
}

function userPage(request, url) {
  var key = cacheKey(url);
  return fetch(request).then(function (response) {
    var user = response.headers.get("X-Portal-User");
    if (response.status === 200 && user && !response.redirected) {
      var copy = response.clone();
      return CdsOffline.getMeta("user").then(function (current) {
        if (current !== user) { return null; }  // kept only for the user the pages say is signed in
        return caches.open(USER_PREFIX + user).then(function (cache) { return cache.put(key, copy); });
      }).then(function () { return response; });
    }
    return response;
  }, function () {
    return CdsOffline.getMeta("user").then(function (user) {
      if (!user) { return null; }
      return caches.open(USER_PREFIX + user).then(function (cache) { return cache.match(key, { ignoreVary: true }); });
    }).then(function (cached) {
      if (cached) { return cached; }
      return offlineAnswer(request);
    });
  });
}

function offlineAnswer(request) {
  if (request.mode === "navigate") {
    return new Response(OFFLINE_HTML, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
  return Response.error();
}

function staticFile(request) {
  return caches.match(request, { ignoreVary: true }).then(function (cached) {
    var fromNetwork = fetch(request).then(function (response) {
      if (response.status === 200) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
    return fromNetwork.catch(function () { return cached || Response.error(); });
  });
}

// Online, pages and files go to the network untouched (the browser's own cache serves the shell);
// the worker answers only without signal, and when a page asks it to keep a copy (offline.js).
self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var keep = OFFLINE_PAGES.indexOf(url.pathname) !== -1 || url.pathname === ROSTER_PATH;
  if (keep && request.mode !== "navigate") { event.respondWith(userPage(request, url)); return; }
  if (self.navigator.onLine) { return; }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) { event.respondWith(staticFile(request)); return; }
  if (keep) { event.respondWith(userPage(request, url)); return; }
  if (request.mode === "navigate") { event.respondWith(offlineAnswer(request)); }
});

// Background Sync: the browser wakes the worker when the connection is back.
self.addEventListener("sync", function (event) {
  if (event.tag !== "cds-offline") { return; }
  event.waitUntil(CdsOffline.getMeta("user").then(function (user) { return CdsOffline.sync(user, null); }));
});

// Sign-out: the page has cleared the queue and its copies; forget the user here too. A page that
// began loading before this worker was active asks to be claimed (offline.js).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "claim") {
    event.waitUntil(self.clients.claim());
  }
  if (data.type === "signed-out") {
    event.waitUntil(keepOnlyUser(""));
  }
});
