// Embedding in real headless Chromium: web/example (a host page with a
// strict CSP of its own) served from one origin, the built site from
// another by bin/serve -cors; the page adds <emotion-classifier> with one
// script tag, and its code uses the ES module API (emotion.js).
//
// Isolation: before the element loads, the host page (through an init
// script) wraps Worker, Worker.prototype.postMessage and
// URL.createObjectURL and records what goes to the classifier's workers;
// it also holds secrets of its own (a cookie, localStorage, a DOM node, a
// token in its URL). The tests assert that the workers get only each
// clip's bytes and options, that no secret reaches them or the asset
// origin, and that a worker has no DOM or host globals.
//
//   node --test web/test/embed.test.mjs
//
// Environment as in browser.test.mjs: EMOTION_SITE, EMOTION_SERVE,
// EMOTION_CLI, EMOTION_SHARED, CHROMIUM, EMOTION_SHOTS.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHTTPServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';

import { baseArgs, chromiumPath, cliBin, freePort, root, serveBin, shared, shots, site, startServer } from './harness.mjs';

const example = join(root, 'web/example');
const clip = join(shared, 'data/ravdess-16k/Actor_03/03-01-05-02-01-01-03.wav');
// The asset origin written in the example page, replaced by the test's.
const exampleAssets = 'http://127.0.0.1:8080';

const READY_MS = 120_000; // download, compile and warm up the wasm on a busy machine, and classify

let tmp, assets, host, assetOrigin, hostOrigin, context, page, expected, siteManifest;
const consoleErrors = [];
const requests = [];
const assetRequests = []; // {url, headers} of every request to the asset origin

// The host page's secrets: none may reach the worker or the asset origin.
const secrets = { cookie: 'cookie-5ecret-91c', storage: 'storage-5ecret-4d2', dom: 'dom-5ecret-7e0', url: 'url-5ecret-b38' };
const hostPath = `/?session=${secrets.url}`;

// serveExample serves web/example as the host site would, with the asset
// origin in its page set to the test's.
function serveExample(port) {
  const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8' };
  const srv = createHTTPServer((req, res) => {
    const name = new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html').slice(1);
    if (name === 'favicon.ico') {
      res.writeHead(204).end(); // the example has no icon; a 404 would be a console error
      return;
    }
    const ext = name.slice(name.lastIndexOf('.'));
    if (!/^[a-z-]+\.(html|css)$/.test(name) || !existsSync(join(example, name))) {
      res.writeHead(404).end();
      return;
    }
    let body = readFileSync(join(example, name), 'utf8');
    if (ext === '.html') body = body.replaceAll(exampleAssets, assetOrigin);
    res.writeHead(200, { 'Content-Type': types[ext], 'Cache-Control': 'no-cache' }).end(body);
  });
  return new Promise((ok) => srv.listen(port, '127.0.0.1', () => ok(srv)));
}

before(async () => {
  for (const [what, path] of [['site', join(site, 'emotion-element.js')], ['server', serveBin], ['CLI', cliBin], ['RAVDESS clip', clip]]) {
    assert.ok(existsSync(path), `${what} not found at ${path} (run ./build.sh build; set EMOTION_SHARED)`);
  }
  tmp = mkdtempSync(join(tmpdir(), 'emotion-embed-'));
  mkdirSync(shots, { recursive: true });
  expected = JSON.parse(execFileSync(cliBin, ['classify', '-json', clip], { encoding: 'utf8' }));
  writeFileSync(join(tmp, 'notes.wav'), 'These are my notes, not a recording.\n');

  const [ap, hp] = [await freePort(), await freePort()];
  assetOrigin = `http://127.0.0.1:${ap}`;
  hostOrigin = `http://127.0.0.1:${hp}`;
  ({ server: assets } = await startServer({ port: ap, args: ['-cors', hostOrigin] }));
  host = await serveExample(hp);

  context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: chromiumPath,
    args: baseArgs,
    viewport: { width: 1000, height: 900 },
    colorScheme: 'light',
  });
  context.on('request', (r) => {
    requests.push(r.url());
    if (r.url().startsWith(assetOrigin + '/')) assetRequests.push(r.allHeaders().then((headers) => ({ url: r.url(), headers })));
  });
  siteManifest = JSON.parse(readFileSync(join(site, 'manifest.json'), 'utf8'));
  // Same host, another port: a browser would send this cookie to the asset
  // origin too, if a request there carried credentials.
  await context.addCookies([{ name: 'host_session', value: secrets.cookie, url: hostOrigin }]);
  await context.addInitScript(([hostOrigin, secrets]) => {
    if (location.origin !== hostOrigin) return;
    localStorage.setItem('host_secret', secrets.storage);
    document.addEventListener('DOMContentLoaded', () => {
      const p = document.createElement('p');
      p.id = 'host-secret';
      p.hidden = true;
      p.textContent = secrets.dom;
      document.body.append(p);
    });
    // What the host page could see of the classifier's workers: every
    // worker started, the source of every Blob made into a URL (the
    // cross-origin shim), and every message posted (buffers copied before
    // they are transferred, and so detached).
    window.isolation = { workers: [], blobs: [], posted: [] };
    const NativeWorker = window.Worker;
    window.Worker = new Proxy(NativeWorker, {
      construct(target, args, newTarget) {
        window.isolation.workers.push({ url: String(args[0]), options: JSON.stringify(args[1] ?? null) });
        return Reflect.construct(target, args, newTarget);
      },
    });
    const createObjectURL = URL.createObjectURL;
    URL.createObjectURL = function (obj) {
      if (obj instanceof Blob) obj.text().then((t) => window.isolation.blobs.push(t));
      return createObjectURL.call(this, obj);
    };
    const b64 = (buf) => {
      let s = '';
      const u = new Uint8Array(buf);
      for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
      return btoa(s);
    };
    // describe turns a message into JSON-able data: buffers become {buffer: base64}.
    const describe = (v) => {
      if (v instanceof ArrayBuffer) return { buffer: b64(v.slice(0)) };
      if (ArrayBuffer.isView(v)) return { view: v.constructor.name, buffer: b64(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)) };
      if (Array.isArray(v)) return v.map(describe);
      if (v && typeof v === 'object') {
        if (Object.getPrototypeOf(v) !== Object.prototype) return { unexpected: Object.prototype.toString.call(v) };
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, describe(x)]));
      }
      if (typeof v === 'function') return { unexpected: 'function' };
      return v;
    };
    const postMessage = NativeWorker.prototype.postMessage;
    NativeWorker.prototype.postMessage = function (message, transfer) {
      const list = Array.isArray(transfer) ? transfer : transfer?.transfer || [];
      window.isolation.posted.push({
        message: describe(message),
        transfer: list.map((t) => (t === message?.bytes ? 'bytes' : Object.prototype.toString.call(t))),
      });
      return postMessage.call(this, message, transfer);
    };
  }, [hostOrigin, secrets]);
  page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`worker: ${m.text()}`); }));
  // CSP violations anywhere in the page (CDP injects this; CSP does not apply).
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`), true);
  });
});

after(async () => {
  await context?.close();
  assets?.kill();
  host?.closeAllConnections(); // keep-alive sockets would hold close() open
  host?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// nextEvent resolves with the element's next result or error event.
const nextEvent = (id) => page.evaluate((id) => new Promise((ok) => {
  const el = document.getElementById(id);
  for (const type of ['result', 'error']) el.addEventListener(type, (e) => ok({ type, detail: e.detail }), { once: true });
}), id);

describe('<emotion-classifier> and emotion.js on another origin', () => {
  test('the host page shows the element; styles do not leak either way', async () => {
    await page.goto(hostOrigin + hostPath);
    await page.waitForFunction(() => customElements.get('emotion-classifier') && document.getElementById('full').shadowRoot);
    const s = await page.evaluate(() => {
      const css = (e, p) => getComputedStyle(e).getPropertyValue(p);
      const full = document.getElementById('full');
      const inner = full.shadowRoot.querySelector('button');
      const note = full.shadowRoot.querySelector('.note');
      return {
        hostButton: [css(document.querySelector('.host-button'), 'color'), css(document.querySelector('.host-button'), 'background-color')],
        hostText: css(document.querySelector('.host-text'), 'color'),
        hostFont: css(document.body, 'font-family'),
        innerButton: [css(inner, 'color'), css(inner, 'background-color')],
        noteColor: css(note, 'color'),
        innerFont: css(full.shadowRoot.querySelector('.status'), 'font-family'),
        inlineStyles: document.querySelectorAll('[style]').length + full.shadowRoot.querySelectorAll('[style]').length,
        documentSheets: document.styleSheets.length,
      };
    });
    // The host's rules hold on the host and stop at the shadow root.
    assert.deepEqual(s.hostButton, ['rgb(200, 0, 0)', 'rgb(255, 255, 0)']);
    assert.equal(s.hostText, 'rgb(0, 100, 0)');
    assert.match(s.hostFont, /Georgia/);
    assert.deepEqual(s.innerButton, ['rgb(255, 255, 255)', 'rgb(74, 58, 168)']);
    assert.notEqual(s.noteColor, 'rgb(0, 100, 0)');
    assert.doesNotMatch(s.innerFont, /Georgia/, 'the host font is inherited into the element');
    assert.equal(s.inlineStyles, 0);
    assert.equal(s.documentSheets, 1, 'the element added a stylesheet to the host document');
  });

  test('a file chosen in the element is classified, and `result` fires', { timeout: READY_MS }, async () => {
    const event = nextEvent('full');
    // Playwright's CSS locators pierce open shadow roots.
    await page.locator('#full input[type=file]').setInputFiles(clip);
    // The first file starts the classifier, which says so while it loads.
    await page.waitForFunction(() => /^(Loading the classifier|Preparing the model)/
      .test(document.getElementById('full').shadowRoot.querySelector('.status').textContent), null, { timeout: 5_000 });
    const got = await event;
    assert.equal(got.type, 'result', JSON.stringify(got.detail));
    const record = got.detail;
    assert.equal(record.label, expected.label);
    assert.equal(record.file, clip.split('/').pop());
    const shown = await page.evaluate(() => {
      const r = document.getElementById('full').shadowRoot;
      return { verdict: r.querySelector('.verdict').textContent, meters: r.querySelectorAll('meter').length };
    });
    assert.match(shown.verdict.toLowerCase(), new RegExp(`^${expected.label}`));
    assert.equal(shown.meters, 8);
    await page.screenshot({ path: join(shots, 'embed.png'), fullPage: true, animations: 'disabled' });
  });

  test('a file that is not audio fires `error` with its code', async () => {
    const event = nextEvent('compact');
    await page.locator('#compact input[type=file]').setInputFiles(join(tmp, 'notes.wav'));
    const { type, detail } = await event;
    assert.equal(type, 'error');
    assert.equal(detail.code, 'not_audio');
    assert.equal(detail.file, 'notes.wav');
    assert.match(await page.locator('#compact .status').textContent(), /notes\.wav/);
  });

  test('the module API returns the CLI record for an ArrayBuffer', async () => {
    const bytes = [...readFileSync(clip)];
    const got = await page.evaluate(async ([url, bytes]) => {
      const { classify } = await import(url);
      const buf = new Uint8Array(bytes).buffer;
      const r = await classify(buf);
      return { r, kept: buf.byteLength };
    }, [assetOrigin + '/emotion.js', bytes]);
    assert.equal(got.kept, bytes.length, "classify detached the caller's buffer");
    const { file, ...want } = expected;
    assert.equal(got.r.file, undefined);
    assert.equal(got.r.label, want.label);
    assert.deepEqual(Object.keys(got.r).sort(), Object.keys(want).sort());
    for (const [k, p] of Object.entries(want.probabilities)) {
      assert.ok(Math.abs(got.r.probabilities[k] - p) < 1e-4, `${k}: ${got.r.probabilities[k]} vs ${p}`);
    }
    assert.ok(Math.abs(got.r.duration - want.duration) < 1e-6);
  });

  test('the workers get only each clip\'s bytes and options, nothing of the host page', async () => {
    const iso = await page.evaluate(() => window.isolation);
    const workerURL = `${assetOrigin}/${siteManifest['worker.js']}`;
    // Two workers: the element's bundle and the module API each start one,
    // through a blob module that only imports the worker's bundle.
    assert.equal(iso.workers.length, 2, JSON.stringify(iso.workers));
    for (const w of iso.workers) {
      assert.ok(w.url.startsWith(`blob:${hostOrigin}/`), w.url);
      assert.deepEqual(JSON.parse(w.options), { type: 'module' });
    }
    assert.deepEqual(iso.blobs, [`import ${JSON.stringify(workerURL)};`, `import ${JSON.stringify(workerURL)};`]);
    // Exactly three messages, one per clip: its bytes (transferred) and the
    // file name the caller gave, nothing else.
    const clipBytes = readFileSync(clip).toString('base64');
    const notesBytes = readFileSync(join(tmp, 'notes.wav')).toString('base64');
    const want = [
      { type: 'classify', bytes: clipBytes, options: { file: clip.split('/').pop() } },
      { type: 'classify', bytes: notesBytes, options: { file: 'notes.wav' } },
      { type: 'classify', bytes: clipBytes, options: {} },
    ];
    assert.equal(iso.posted.length, want.length, JSON.stringify(iso.posted.map((p) => p.message.type)));
    iso.posted.forEach(({ message, transfer }, i) => {
      assert.deepEqual(Object.keys(message).sort(), ['bytes', 'id', 'options', 'type'], `message ${i}`);
      assert.equal(typeof message.id, 'number');
      assert.equal(message.type, want[i].type);
      assert.deepEqual(message.options, want[i].options, `message ${i}`);
      assert.deepEqual(Object.keys(message.bytes), ['buffer'], `message ${i}: bytes is not an ArrayBuffer`);
      assert.ok(message.bytes.buffer === want[i].bytes, `message ${i}: the bytes are not the clip's`);
      assert.deepEqual(transfer, ['bytes'], `message ${i}: transferred ${transfer}`);
    });
    // No secret of the host, nor its address, in anything posted or in the shims.
    const sent = [...iso.posted.map((p) => JSON.stringify({ ...p.message, bytes: Buffer.from(p.message.bytes.buffer, 'base64').toString('latin1') })), ...iso.blobs].join('\n');
    for (const [what, secret] of Object.entries(secrets)) assert.ok(!sent.includes(secret), `the host's ${what} secret was posted to a worker`);
    assert.ok(!sent.includes(hostOrigin) && !sent.includes(hostPath), 'the host page\'s address was posted to a worker');
    // The asset origin is asked without the host's cookie (same host, so it
    // would be sent with credentials) and never learns the page's path or query.
    const seen = await Promise.all(assetRequests);
    assert.ok(seen.some((r) => r.url.endsWith('.wasm')), 'the wasm request was not seen');
    for (const { url, headers } of seen) {
      assert.equal(headers.cookie, undefined, `${url} was sent the host's cookie`);
      const all = url + JSON.stringify(headers);
      for (const secret of Object.values(secrets)) assert.ok(!all.includes(secret), `${url} carried a host secret: ${all}`);
      // The Referer is an origin at most (strict-origin-when-cross-origin).
      if (headers.referer?.startsWith(hostOrigin)) assert.equal(headers.referer, hostOrigin + '/', `${url}: Referer ${headers.referer}`);
    }
  });

  test('a worker has no DOM and no host globals', async () => {
    const ws = page.workers();
    assert.equal(ws.length, 2, ws.map((w) => w.url()).join(' '));
    for (const w of ws) {
      const g = await w.evaluate(() => ({
        types: ['document', 'window', 'parent', 'top', 'opener', 'frames', 'localStorage', 'sessionStorage', 'cookieStore']
          .map((n) => `${n}:${typeof globalThis[n]}`),
        href: location.href,
        name: self.name,
      }));
      assert.deepEqual(g.types, ['document', 'window', 'parent', 'top', 'opener', 'frames', 'localStorage', 'sessionStorage', 'cookieStore']
        .map((n) => `${n}:undefined`));
      // A browser starts a worker only from the page's origin: cross-origin,
      // its address is a blob: URL of the host's origin (origin and a random
      // id, nothing of the page's path or query), and the code it runs is
      // the library's (asserted above from the shim).
      assert.match(g.href, new RegExp(`^blob:${hostOrigin.replace(/[.:/]/g, '\\$&')}/[0-9a-f-]{36}$`));
      assert.equal(g.name, '');
    }
  });

  test("the library leaves the host's storage alone and keeps its worker to itself", async () => {
    const host = await page.evaluate(async () => {
      const el = document.getElementById('full');
      const reachable = [el, ...Object.values(el)].filter((v) => v && typeof v === 'object');
      return {
        storage: Object.keys(localStorage),
        caches: await caches.keys(),
        databases: (await indexedDB.databases()).map((d) => d.name),
        cookie: document.cookie,
        // What a host script can reach from the element: its own nodes and
        // queue, never the worker (emotion.js keeps it in module scope).
        workers: reachable.filter((v) => v instanceof Worker).length,
        props: Object.keys(el).sort(),
      };
    });
    assert.deepEqual(host.storage, ['host_secret']);
    assert.deepEqual(host.caches, []);
    assert.deepEqual(host.databases, []);
    assert.equal(host.cookie, `host_session=${secrets.cookie}`);
    assert.equal(host.workers, 0);
    assert.ok(!host.props.some((p) => /worker|client/i.test(p)), host.props.join(' '));
  });

  test('same origin: the worker runs at the library\'s own URL', { timeout: READY_MS }, async () => {
    // A page of the asset origin itself (a site using its own copy).
    const own = await context.newPage();
    try {
      await own.goto(assetOrigin + '/manifest.json');
      const bytes = [...readFileSync(clip)];
      const label = await own.evaluate(async ([url, bytes]) => {
        const { classify } = await import(url);
        return (await classify(new Uint8Array(bytes))).label;
      }, [assetOrigin + '/emotion.js', bytes]);
      assert.equal(label, expected.label);
      const [w] = own.workers();
      const g = await w.evaluate(() => ({ href: location.href, document: typeof document, window: typeof window }));
      assert.deepEqual(g, { href: `${assetOrigin}/${siteManifest['worker.js']}`, document: 'undefined', window: 'undefined' });
    } finally {
      await own.close();
    }
  });

  test('no CSP violations or console errors; requests only to the two origins', async () => {
    const violations = await page.evaluate(() => window.violations);
    assert.deepEqual(violations, []);
    assert.deepEqual(consoleErrors, []);
    const foreign = requests.filter((u) => !u.startsWith(hostOrigin + '/') && !u.startsWith(assetOrigin + '/') && !u.startsWith('blob:'));
    assert.deepEqual(foreign, []);
    assert.ok(requests.some((u) => u.startsWith(assetOrigin + '/') && u.endsWith('.wasm')), 'the wasm came from the asset origin');
  });
});
