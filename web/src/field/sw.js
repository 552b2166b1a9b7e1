// The service worker of the field app. vite.config.ts writes it to /sw.js at build, with VERSION
// (a hash of the precached files' contents) and PRECACHE (the app shell: index.html at "/" and
// every built asset) filled in; it is not bundled.
//
// - The app shell is precached at install and served cache-first (navigations to "/" fall back
//   to the cached index.html offline), so the app opens with no connection.
// - /fonts/* are cached at first use.
// - Of the API only GET /api/forms, /api/me, /api/vocabularies and /api/reference* are cached:
//   network first, the cached copy when the network fails. Nothing else of /api/* is cached.
// - A new version installs in the background and waits; it takes over only when the page says
//   so ("skip-waiting"), which the page does not while the outbox holds unsent entries. The
//   unsent entries live in IndexedDB, not in these caches, so no update can lose them anyway.
/* global self, caches, fetch, Response, URL */
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const SHELL = `safeground-shell-${VERSION}`;
const RUNTIME = "safeground-runtime";
const CACHED_API = /^\/api\/(forms|me|vocabularies|reference[^?]*)$/;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" })));
    // The first version has nothing to wait for.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("safeground-shell-") && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
  if (event.data && event.data.type === "version") event.source?.postMessage({ type: "version", version: VERSION });
});

async function shellFirst(request, key) {
  const cached = await caches.match(key ?? request, { cacheName: SHELL });
  if (cached) return cached;
  return fetch(request);
}

async function networkFirst(request) {
  const cache = await caches.open(RUNTIME);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw e;
  }
}

async function cacheOnFirstUse(request) {
  const cache = await caches.open(RUNTIME);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (url.pathname === "/" || url.pathname === "/index.html") event.respondWith(shellFirst(request, "/"));
    return;
  }
  if (PRECACHE.includes(url.pathname)) event.respondWith(shellFirst(request, url.pathname));
  else if (url.pathname.startsWith("/fonts/")) event.respondWith(cacheOnFirstUse(request));
  else if (CACHED_API.test(url.pathname)) event.respondWith(networkFirst(request));
});
