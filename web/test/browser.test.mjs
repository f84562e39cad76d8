// The page in real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser download), served by the real server binary.
//
//   node --test web/test/browser.test.mjs
//
// Environment: EMOTION_SITE (default static/), EMOTION_SERVE (default
// bin/serve), EMOTION_CLI (default bin/emotion; the expected labels),
// EMOTION_SHARED (RAVDESS), CHROMIUM (default /usr/bin/chromium),
// EMOTION_SHOTS (screenshots; default build/screenshots), EXPECT_SIMD=1
// (require the worker's wasm to run dsp's WebAssembly SIMD kernels,
// emotion.kernels "simd", not just a valid kernel set).
// Files are generated at test time in a temporary folder; lame makes the MP3.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';

import { baseArgs, chromiumPath, cliBin, ravdess, serveBin, shots, site, startServer } from './harness.mjs';

// How long the page may take to download, compile and warm up 30 MB of wasm
// on a busy 2-core machine, and to classify one clip.
const READY_MS = 120_000;
const RESULT_MS = 60_000;

let tmp, server, origin, context, page;
const consoleErrors = [];
const requests = []; // every URL the page and its worker asked for
const transferred = []; // {url, bytes} of finished requests: body as sent plus headers
const files = {}; // name -> path of the test inputs
const expected = {}; // name -> the CLI's classify record

// makeInputs writes the test files: RAVDESS clips, an MP3 encoded now, a
// WAV named .mp3, and files that must fail.
function makeInputs() {
  const wav = (actor, name) => join(ravdess, `Actor_${actor}`, name);
  const put = (name, from) => { files[name] = join(tmp, name); copyFileSync(from, files[name]); };
  put('happy-actor01.wav', wav('01', '03-01-03-02-01-01-01.wav'));
  files['happy-3s.wav'] = join(tmp, 'happy-3s.wav'); // exactly 3 s, for the timing
  execFileSync('sox', [files['happy-actor01.wav'], files['happy-3s.wav'], 'trim', '0', '3']);
  put('angry-actor03.wav', wav('03', '03-01-05-02-01-01-03.wav'));
  put('sad-actor02.wav', wav('02', '03-01-04-02-02-01-02.wav'));
  put('fearful-actor05.wav', wav('05', '03-01-06-02-01-01-05.wav'));
  put('keyboard.wav', wav('04', '03-01-02-02-01-01-04.wav'));
  put('dropped.wav', wav('06', '03-01-07-02-01-01-06.wav'));
  put('really-a-wav.mp3', wav('07', '03-01-08-02-01-01-07.wav'));
  files['encoded.mp3'] = join(tmp, 'encoded.mp3');
  execFileSync('lame', ['--quiet', '-b', '96', wav('08', '03-01-05-02-02-02-08.wav'), files['encoded.mp3']]);
  files['notes.wav'] = join(tmp, 'notes.wav');
  writeFileSync(files['notes.wav'], 'These are my notes, not a recording.\n');
  // The 8-byte PNG signature and an IHDR chunk: enough to be recognised.
  files['picture.png'] = join(tmp, 'picture.png');
  writeFileSync(files['picture.png'], Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(17)]));
  // The header of a WAV whose data never comes.
  files['cut.wav'] = join(tmp, 'cut.wav');
  writeFileSync(files['cut.wav'], readFileSync(files['happy-actor01.wav']).subarray(0, 44));
  const good = Object.keys(files).filter((n) => !['notes.wav', 'picture.png', 'cut.wav'].includes(n));
  const out = execFileSync(cliBin, ['classify', '-json', ...good.map((n) => files[n])], { encoding: 'utf8' });
  out.trim().split('\n').forEach((line, i) => { expected[good[i]] = JSON.parse(line); });
}

before(async () => {
  for (const [what, path] of [['site', join(site, 'index.html')], ['server', serveBin], ['CLI', cliBin], ['RAVDESS', ravdess]]) {
    assert.ok(existsSync(path), `${what} not found at ${path} (run ./build.sh build; set EMOTION_SHARED)`);
  }
  tmp = mkdtempSync(join(tmpdir(), 'emotion-browser-'));
  mkdirSync(shots, { recursive: true });
  makeInputs();
  ({ origin, server } = await startServer());
  context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: chromiumPath,
    args: baseArgs,
    viewport: { width: 1100, height: 900 },
    colorScheme: 'light',
  });
  context.on('request', (r) => requests.push(r.url()));
  context.on('requestfinished', async (r) => {
    const s = await r.sizes().catch(() => null);
    if (s) transferred.push({ url: r.url(), bytes: s.responseBodySize + s.responseHeadersSize });
  });
  page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  // Intercept file choosers from the start, so the keyboard test's Enter
  // cannot race the interception being switched on.
  page.on('filechooser', () => {});
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`worker: ${m.text()}`); }));
});

after(async () => {
  await context?.close();
  server?.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// card finds a file's card by its name.
const card = (name) => page.locator('li.card', { has: page.locator('.card-name', { hasText: name }) });

// waitDone waits until the file's card has a verdict or an error, and
// returns what it shows.
async function waitDone(name) {
  const c = card(name);
  await c.locator('.verdict, .card-error').first().waitFor({ timeout: RESULT_MS });
  return c.evaluate((el) => ({
    error: el.querySelector('.error-headline')?.textContent ?? null,
    detail: el.querySelector('.error-detail')?.textContent ?? null,
    label: el.querySelector('.verdict-label')?.textContent ?? null,
    bars: [...el.querySelectorAll('.bar')].map((b) => ({
      label: b.querySelector('.bar-label').textContent,
      width: parseFloat(b.querySelector('.bar-fill').style.width),
    })),
    meta: el.querySelector('.card-meta').textContent,
    busy: el.getAttribute('aria-busy'),
  }));
}

// checkVerdict asserts a card shows the CLI's answer for the same file:
// the top label, and a bar per label whose widths are the probabilities.
function checkVerdict(shown, name) {
  const want = expected[name];
  assert.equal(shown.error, null, `${name}: ${shown.error} ${shown.detail}`);
  assert.equal(shown.label.toLowerCase(), want.label, name);
  assert.equal(shown.bars.length, 8);
  assert.deepEqual(shown.bars.map((b) => b.label.toLowerCase()).sort(), Object.keys(want.probabilities).sort());
  const sum = shown.bars.reduce((s, b) => s + b.width, 0);
  assert.ok(Math.abs(sum - 100) < 0.5, `bar widths sum to ${sum} %`);
  for (const b of shown.bars) {
    assert.ok(Math.abs(b.width - 100 * want.probabilities[b.label.toLowerCase()]) <= 0.051, `${name}: ${b.label} ${b.width} %`);
  }
  assert.match(shown.meta, /\d\.\d\d s/);
  assert.equal(shown.busy, null);
}

// pick gives files to the page's file input, as the file chooser would.
const pick = (...names) => page.setInputFiles('#pick', names.map((n) => files[n]));

describe('the page in Chromium', () => {
  let readyMs;

  test('loads with a strict CSP, shows progress and gets ready', async () => {
    // Record every text the loader shows (CDP injects this; CSP does not apply).
    await page.addInitScript(() => {
      window.loaderTexts = [];
      document.addEventListener('DOMContentLoaded', () => {
        const label = document.getElementById('loader-label');
        new MutationObserver(() => window.loaderTexts.push(label.textContent))
          .observe(label, { childList: true, characterData: true, subtree: true });
      });
    });
    const t0 = Date.now();
    const res = await page.goto(origin + '/');
    const csp = res.headers()['content-security-policy'] || '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    await page.screenshot({ path: join(shots, 'loading.png') });
    assert.match(await page.textContent('.privacy'), /never leaves this device/);
    await page.locator('.loader.is-ready').waitFor({ timeout: READY_MS });
    readyMs = Date.now() - t0;
    const texts = await page.evaluate(() => window.loaderTexts);
    assert.ok(texts.some((t) => t.startsWith('Downloading the classifier…')), texts.join(' | '));
    assert.ok(texts.includes('Preparing the model…'), texts.join(' | '));
    assert.match(texts.at(-1), /^Ready\./);
    const t = JSON.parse(await page.getAttribute('#loader', 'data-timings'));
    console.log(`# time to ready: ${readyMs} ms from navigation; in the worker: ${t.total} ms = ` +
      `${t.response} ms to the wasm's headers + ${t.compile} ms download and compile + ${t.model} ms model load and warm-up`);
    // The worker gave the wasm its SIMD kernels' imports (it would not
    // have started otherwise) and reports which kernels dsp runs.
    const kernels = await page.getAttribute('#loader', 'data-kernels');
    console.log(`# dsp kernels in the worker: ${kernels}`);
    assert.ok(['simd', 'go'].includes(kernels), `data-kernels = ${kernels}`);
    if (process.env.EXPECT_SIMD === '1') assert.equal(kernels, 'simd', 'EXPECT_SIMD=1');
    await page.screenshot({ path: join(shots, 'empty.png'), fullPage: true, animations: 'disabled' });
  });

  test('keyboard: Tab reaches the picker button and Enter opens the file chooser', async () => {
    await page.locator('body').focus();
    let focused = null;
    for (let i = 0; i < 10 && focused !== 'drop'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id);
    }
    assert.equal(focused, 'drop', 'Tab never reached the picker button');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 30_000 }), page.keyboard.press('Enter')]);
    assert.ok(chooser.isMultiple());
    await chooser.setFiles(files['keyboard.wav']);
    checkVerdict(await waitDone('keyboard.wav'), 'keyboard.wav');
  });

  test('a 3 s WAV gets a card with 8 bars, the CLI label and a drawn spectrogram', async () => {
    const t0 = Date.now();
    await pick('happy-3s.wav');
    const shown = await waitDone('happy-3s.wav');
    const ms = Date.now() - t0;
    checkVerdict(shown, 'happy-3s.wav');
    console.log(`# pick to result: ${ms} ms for a ${expected['happy-3s.wav'].duration.toFixed(2)} s clip`);
    const c = card('happy-3s.wav');
    const pixels = await c.locator('canvas').evaluate((cv) => {
      const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      let lit = 0;
      const colours = new Set();
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] + d[i + 1] + d[i + 2] > 30) lit++;
        colours.add((d[i] >> 4) << 8 | (d[i + 1] >> 4) << 4 | d[i + 2] >> 4);
      }
      return { w: cv.width, h: cv.height, lit: lit / (d.length / 4), colours: colours.size };
    });
    assert.equal(pixels.h, 64);
    assert.ok(pixels.w > 100, `canvas ${pixels.w} wide`);
    assert.ok(pixels.lit > 0.3 && pixels.colours > 50, `canvas: ${JSON.stringify(pixels)}`);
    const legend = await c.locator('.legend').textContent();
    for (const ch of ['log-mel', 'chroma', 'log-STFT']) assert.ok(legend.includes(ch), legend);
    assert.match(await page.textContent('#announce'), /^happy-3s\.wav: \w+, \d+ % confidence/);
  });

  test('an MP3 encoded at test time, and a WAV named .mp3, are read by content', async () => {
    await pick('encoded.mp3');
    checkVerdict(await waitDone('encoded.mp3'), 'encoded.mp3');
    await pick('really-a-wav.mp3');
    checkVerdict(await waitDone('really-a-wav.mp3'), 'really-a-wav.mp3');
  });

  test('several files at once: bad ones get error cards, the good ones still work, in order', async () => {
    const batch = ['notes.wav', 'angry-actor03.wav', 'picture.png', 'cut.wav', 'sad-actor02.wav', 'happy-actor01.wav'];
    await pick(...batch);
    // Serial: the last file waits while the first ones are analysed.
    const last = card(batch.at(-1));
    assert.equal(await last.getAttribute('aria-busy'), 'true');
    assert.match(await last.locator('.card-status').textContent(), /Waiting|Decoding|Listening/);
    await page.screenshot({ path: join(shots, 'working.png'), animations: 'disabled' });
    const names = await page.locator('.card-name').allTextContents();
    assert.deepEqual(names.slice(0, batch.length), batch, 'cards in the order the files were given, on top');
    const shown = {};
    for (const n of batch) shown[n] = await waitDone(n);
    assert.match(shown['notes.wav'].error, /not a WAV or MP3/);
    assert.match(shown['picture.png'].error, /not a WAV or MP3/);
    assert.match(shown['picture.png'].detail, /PNG/);
    assert.match(shown['cut.wav'].error, /cut short/);
    checkVerdict(shown['angry-actor03.wav'], 'angry-actor03.wav');
    checkVerdict(shown['sad-actor02.wav'], 'sad-actor02.wav');
    checkVerdict(shown['happy-actor01.wav'], 'happy-actor01.wav');
    await page.screenshot({ path: join(shots, 'with-errors.png'), fullPage: true, animations: 'disabled' });
  });

  test('a file dropped on the drop zone', async () => {
    const bytes = readFileSync(files['dropped.wav']).toString('base64');
    await page.locator('#drop').evaluate((zone, b64) => {
      const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([raw], 'dropped.wav', { type: 'audio/wav' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    }, bytes);
    checkVerdict(await waitDone('dropped.wav'), 'dropped.wav');
  });

  test('screenshots with results, light and dark, desktop and phone', async () => {
    await pick('fearful-actor05.wav');
    await waitDone('fearful-actor05.wav');
    await page.evaluate(() => window.scrollTo(0, 0));
    const shot = (name) => page.screenshot({ path: join(shots, name), animations: 'disabled' });
    await shot('results-light.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('results-dark.png');
    // One channel alone, on the colour scale.
    const c = card('fearful-actor05.wav');
    await c.locator('.legend-button', { hasText: 'log-mel' }).click();
    assert.equal(await c.locator('.legend-button[aria-pressed="true"]').textContent(), 'log-mel');
    assert.match(await c.locator('canvas').getAttribute('aria-label'), /log-mel alone/);
    await c.scrollIntoViewIfNeeded();
    await c.screenshot({ path: join(shots, 'card-log-mel-dark.png'), animations: 'disabled' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than a phone screen`);
    await shot('phone-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => window.scrollBy(0, 600));
    await shot('phone-light.png');
  });

  test('no console errors, and every request stayed on this origin', () => {
    assert.deepEqual(consoleErrors, []);
    const foreign = requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(foreign, []);
    assert.ok(requests.some((u) => /\.wasm$/.test(u)), `the worker's wasm request was not seen: ${requests.join(' ')}`);
    const first = transferred.filter((t) => !t.url.startsWith('data:'));
    const total = first.reduce((s, t) => s + t.bytes, 0);
    console.log(`# transferred on first load: ${(total / 1e6).toFixed(2)} MB in ${first.length} requests: ` +
      first.map((t) => `${t.url.slice(origin.length + 1) || '/'} ${(t.bytes / 1e3).toFixed(1)} kB`).join(', '));
  });
});
