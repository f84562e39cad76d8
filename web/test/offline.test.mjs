// Offline use in real headless Chromium: the service worker (web/sw.js)
// precaches the site on the first visit; with the network gone a reload
// still shows the page, loads the classifier and classifies a file. Then a
// new version (a changed sw.js) installs beside the old one, waits, takes
// over when asked, and leaves only its own cache.
//
//   node --test web/test/offline.test.mjs
//
// Environment as in browser.test.mjs: EMOTION_SITE, EMOTION_SERVE,
// EMOTION_CLI, EMOTION_SHARED, CHROMIUM, EMOTION_SHOTS.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';

import { baseArgs, chromiumPath, cliBin, root, serveBin, shared, shots, site as built, startServer } from './harness.mjs';

const clip = join(shared, 'data/ravdess-16k/Actor_02/03-01-04-02-02-01-02.wav');

const READY_MS = 120_000;
const RESULT_MS = 60_000;

let tmp, site, server, origin, context, page, expected;
const consoleErrors = [];

before(async () => {
  for (const [what, path] of [['site', join(built, 'sw.js')], ['server', serveBin], ['CLI', cliBin], ['RAVDESS clip', clip]]) {
    assert.ok(existsSync(path), `${what} not found at ${path} (run ./build.sh build; set EMOTION_SHARED)`);
  }
  tmp = mkdtempSync(join(tmpdir(), 'emotion-offline-'));
  mkdirSync(shots, { recursive: true });
  // A copy of the site, so that the update test can change its sw.js.
  site = join(tmp, 'site');
  cpSync(built, site, { recursive: true });
  copyFileSync(clip, join(tmp, 'sad-actor02.wav'));
  expected = JSON.parse(execFileSync(cliBin, ['classify', '-json', clip], { encoding: 'utf8' }));

  ({ origin, server } = await startServer({ dir: site }));
  context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: chromiumPath,
    args: baseArgs,
    viewport: { width: 1100, height: 900 },
    colorScheme: 'light',
  });
  page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('filechooser', () => {});
});

after(async () => {
  await context?.close();
  server?.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// controlled waits until a service worker controls the page. The page
// registers sw.js itself (lib/offline.js from app.js); until it does, the
// test registers it the same way.
async function controlled() {
  const by = await page.evaluate(async () => {
    if (await navigator.serviceWorker.getRegistration()) return 'the page';
    await navigator.serviceWorker.register('sw.js', { scope: './' });
    return 'the test (the page does not call registerOffline yet)';
  });
  console.log(`# sw.js registered by ${by}`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: READY_MS });
}

const cacheNames = () => page.evaluate(() => caches.keys());

describe('offline, with the service worker', () => {
  test('the first visit precaches the site and the page comes under control', async () => {
    await page.goto(origin + '/');
    await page.locator('.loader.is-ready').waitFor({ timeout: READY_MS });
    await controlled();
    // The worker's scope is no wider than the app's directory: the page
    // asks for './', and the server never sends Service-Worker-Allowed,
    // so no page could register it for a wider path either.
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
    assert.equal(scope, new URL('./', page.url()).href);
    const sw = await fetch(new URL('sw.js', page.url()));
    assert.equal(sw.status, 200);
    assert.equal(sw.headers.get('service-worker-allowed'), null);
    const names = await cacheNames();
    assert.equal(names.length, 1, names.join(' '));
    const cached = await page.evaluate(async (n) => (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname), names[0]);
    const manifest = JSON.parse(readFileSync(join(site, 'manifest.json'), 'utf8'));
    // sw.js is not in its own list (it is built last), nor is manifest.json.
    for (const f of Object.values(manifest).filter((f) => f !== 'sw.js')) assert.ok(cached.includes('/' + f), `${f} not precached: ${cached.join(' ')}`);
    assert.ok(cached.includes('/'));
    // Installable: Chromium's own check of the web app manifest, icons and
    // service worker finds nothing missing.
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], JSON.stringify(installabilityErrors));
    await cdp.detach();
  });

  test('offline, a reload shows the page and it classifies a file', async () => {
    await context.setOffline(true);
    try {
      await page.reload();
      await page.locator('.loader.is-ready').waitFor({ timeout: READY_MS });
      await page.setInputFiles('#pick', join(tmp, 'sad-actor02.wav'));
      const c = page.locator('li.card', { has: page.locator('.card-name', { hasText: 'sad-actor02.wav' }) });
      await c.locator('.verdict, .card-error').first().waitFor({ timeout: RESULT_MS });
      assert.equal(await c.locator('.card-error').count(), 0, await c.textContent());
      assert.equal((await c.locator('.verdict-label').textContent()).toLowerCase(), expected.label);
      await page.screenshot({ path: join(shots, 'offline.png'), animations: 'disabled' });
    } finally {
      await context.setOffline(false);
    }
  });

  test('a new version waits, registerOffline reports it, apply() switches and removes the old cache', async () => {
    const [old] = await cacheNames();
    // lib/offline.js as written (CDP evaluation is not subject to the page's CSP).
    const src = readFileSync(join(root, 'web/lib/offline.js'), 'utf8').replace(/^export /m, '');
    await page.evaluate(`(() => { ${src}
      window.updates = 0;
      return registerOffline({ onUpdate(apply) { window.updates++; window.applyUpdate = apply; } });
    })()`);
    assert.equal(await page.evaluate(() => window.updates), 0, 'onUpdate called with nothing new');
    // A new build: sw.js changes with the manifest inside it (here, as if
    // index.html had a new name; the server ignores the query).
    const sw = readFileSync(join(site, 'sw.js'), 'utf8');
    assert.ok(sw.includes('"index.html"'), 'the manifest is not inlined in sw.js');
    writeFileSync(join(site, 'sw.js'), sw.replace('"index.html"', '"index.html?v=2"'));
    for (const ext of ['.br', '.gz']) rmSync(join(site, 'sw.js' + ext), { force: true }); // else served instead
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.waitForFunction(() => window.updates === 1, null, { timeout: 30_000 });
    assert.equal((await cacheNames()).length, 2, 'the new version did not precache beside the old one');
    assert.ok(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).waiting !== null));
    // apply() lets the new version take over, then reloads the page.
    await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), page.evaluate(() => window.applyUpdate())]);
    await page.locator('.loader.is-ready').waitFor({ timeout: READY_MS });
    // Activation, which deletes old caches, follows the controller change.
    let names = await cacheNames();
    for (const deadline = Date.now() + 10_000; names.includes(old) && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 100));
      names = await cacheNames();
    }
    assert.equal(names.length, 1, `${names.join(' ')} (old: ${old})`);
    assert.notEqual(names[0], old);
    const active = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).active.state);
    assert.equal(active, 'activated');
  });

  test('no console errors', () => {
    // Offline, Chromium logs the failed network attempts of network-first
    // requests that the cache then answered.
    const real = consoleErrors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED/.test(e));
    assert.deepEqual(real, []);
  });
});
