// Service worker: the site keeps working with the network gone.
//
// On install it precaches every file the build listed before it
// (EMOTION_MANIFEST: the app shell, the wasm with the model inside, the
// scripts and styles) plus the root page. Hashed names never change
// content, so they are served cache-first; stable names (index.html,
// emotion.js, the web app manifest, icons) network-first, falling back to
// the cache offline. A new build has a new sw.js (the manifest inside it
// names new hashes), which installs beside the old one and waits until
// the page asks it to take over (registerOffline's onUpdate, in
// lib/offline.js); on activation it deletes the old caches.

/* global EMOTION_MANIFEST */
const files = Object.values(EMOTION_MANIFEST);
const hashed = /\.[0-9a-f]{8}\.[A-Za-z0-9]+$/;

// The cache is named after the manifest, so each build has its own.
const PREFIX = 'emotion-';
const CACHE = PREFIX + fnv1a(JSON.stringify(EMOTION_MANIFEST));

function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

const scope = new URL('./', self.location.href);
const root = scope.href;
const indexURL = new URL('index.html', scope).href;

self.addEventListener('install', (e) => {
  e.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Hashed files may come from the HTTP cache (they are immutable);
    // stable ones must be current.
    const requests = [root, ...files.map((f) => new URL(f, scope).href)]
      .map((url) => new Request(url, { cache: hashed.test(url) ? 'default' : 'no-cache' }));
    await cache.addAll(requests);
  })());
});

self.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    // The first visit's page starts controlled, without a reload.
    await self.clients.claim();
  })());
});

// The page's "update" button: the waiting version takes over now.
self.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== scope.origin || !url.href.startsWith(root)) return;
  if (hashed.test(url.pathname)) {
    e.respondWith(cacheFirst(req));
  } else {
    e.respondWith(networkFirst(req, req.mode === 'navigate'));
  }
});

async function cacheFirst(req) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) await cache.put(req, res.clone());
  return res;
}

async function networkFirst(req, navigation) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(req);
    if (res.ok) await cache.put(req, res.clone());
    return res;
  } catch (err) {
    const hit = (await cache.match(req, { ignoreSearch: navigation })) ||
      (navigation ? (await cache.match(root)) || (await cache.match(indexURL)) : undefined);
    if (hit) return hit;
    throw err;
  }
}
