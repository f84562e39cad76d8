// Embedding in real headless Chromium: web/example (a host page with a
// strict CSP of its own) served from one origin, the built site from
// another by bin/serve -cors; the page adds <emotion-classifier> with one
// script tag, and its code uses the ES module API (emotion.js).
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

import { cliBin, freePort, root, serveBin, shared, shots, site, startServer } from './harness.mjs';

const example = join(root, 'web/example');
const clip = join(shared, 'data/ravdess-16k/Actor_03/03-01-05-02-01-01-03.wav');
// The asset origin written in the example page, replaced by the test's.
const exampleAssets = 'http://127.0.0.1:8080';

const READY_MS = 120_000; // download, compile and warm up the wasm on a busy machine, and classify

let tmp, assets, host, assetOrigin, hostOrigin, context, page, expected;
const consoleErrors = [];
const requests = [];

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
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1000, height: 900 },
    colorScheme: 'light',
  });
  context.on('request', (r) => requests.push(r.url()));
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
    await page.goto(hostOrigin + '/');
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

  test('no CSP violations or console errors; requests only to the two origins', async () => {
    const violations = await page.evaluate(() => window.violations);
    assert.deepEqual(violations, []);
    assert.deepEqual(consoleErrors, []);
    const foreign = requests.filter((u) => !u.startsWith(hostOrigin + '/') && !u.startsWith(assetOrigin + '/') && !u.startsWith('blob:'));
    assert.deepEqual(foreign, []);
    assert.ok(requests.some((u) => u.startsWith(assetOrigin + '/') && u.endsWith('.wasm')), 'the wasm came from the asset origin');
  });
});
