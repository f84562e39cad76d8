// Long clips and the export in real headless Chromium: clips of 3 and 10
// minutes made at test time by concatenating RAVDESS clips with sox get a
// timeline with the CLI's segments under the spectrogram, the page stays
// responsive while the worker runs, the wasm's memory stays under a bound,
// and the export downloads CSV and JSON with the expected rows.
//
//   node --test web/test/longclip.test.mjs     (environment as browser.test.mjs)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { baseArgs, card, chromiumPath, cliBin, ravdess, READY_MS, shots, shown, site, startServer, watch } from './harness.mjs';

// Generous: a 10-minute clip on a busy 2-core machine.
const LONG_MS = 600_000;
// The wasm's linear memory (it never shrinks, so this is its peak) after a
// 3- and a 10-minute clip: wasm/main.go analyses long clips with buffers of
// their own and a soft GC limit of 384 MiB; measured 392 MiB (823 MiB before).
const MEMORY_BOUND = 512 << 20;

let tmp, server, origin, browser, page;
const errors = [];
const files = {};
const expected = {};

// concat writes seconds of speech: RAVDESS clips of several actors, one after another.
function concat(name, seconds) {
  const clips = [];
  for (const actor of ['01', '02', '03', '04', '05', '06', '07', '08']) {
    const dir = join(ravdess, `Actor_${actor}`);
    for (const f of readdirSync(dir).sort()) clips.push(join(dir, f));
  }
  // About 3.7 s each: take enough, then cut to the exact length.
  const n = Math.ceil(seconds / 3) + 1;
  files[name] = join(tmp, name);
  execFileSync('sox', [...clips.slice(0, n), files[name], 'trim', '0', String(seconds)]);
}

before(async () => {
  assert.ok(existsSync(join(site, 'index.html')), `site not found in ${site} (run ./build.sh build)`);
  tmp = mkdtempSync(join(tmpdir(), 'emotion-long-'));
  mkdirSync(shots, { recursive: true });
  files['short.wav'] = join(tmp, 'short.wav');
  execFileSync('sox', [join(ravdess, 'Actor_01/03-01-03-02-01-01-01.wav'), files['short.wav']]);
  concat('three-minutes.wav', 180);
  concat('ten-minutes.wav', 600);
  for (const n of Object.keys(files)) expected[n] = JSON.parse(execFileSync(cliBin, ['classify', '-json', files[n]], { encoding: 'utf8' }));
  ({ origin, server } = await startServer());
  browser = await chromium.launch({ executablePath: chromiumPath, args: baseArgs });
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: 'light', acceptDownloads: true });
  page = await context.newPage();
  watch(page, errors);
  await page.goto(origin + '/');
  await page.locator('.loader.is-ready').waitFor({ timeout: READY_MS });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const pick = (...names) => page.setInputFiles('#pick', names.map((n) => files[n]));

// exported clicks an export button and returns the downloaded file's name and text.
async function exported(button) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.click(button)]);
  const path = join(tmp, dl.suggestedFilename());
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

// timeline reads a card's timeline blocks: label and extent in % of the picture.
const timeline = (c) => c.locator('.timeline-block').evaluateAll((bs) => bs.map((b) => ({
  label: b.dataset.label, left: parseFloat(b.style.left), width: parseFloat(b.style.width),
})));

// watchFrames starts counting the longest gap between animation frames.
const watchFrames = () => page.evaluate(() => {
  window.frameGap = 0;
  let last = performance.now();
  const tick = (t) => { window.frameGap = Math.max(window.frameGap, t - last); last = t; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
});

describe('long clips', () => {
  test('a 3-minute clip: progress, a responsive page, then a timeline of the CLI\'s segments', async () => {
    await pick('short.wav');
    await card(page, 'short.wav').locator('.verdict').waitFor({ timeout: 60_000 });
    assert.equal(await page.isVisible('#export'), true);

    const t0 = Date.now();
    await pick('three-minutes.wav');
    const c = card(page, 'three-minutes.wav');
    // The picture comes first; then the model runs, with a moving count.
    await c.locator('.card-status', { hasText: 'Listening for emotion' }).waitFor({ timeout: 60_000 });
    await watchFrames();
    // While the worker works, the page answers: a channel button and an export.
    await c.locator('.legend-button', { hasText: 'chroma' }).click();
    assert.equal(await c.locator('.legend-button[aria-pressed="true"]').textContent(), 'chroma');
    const during = JSON.parse((await exported('#export-json')).text);
    assert.deepEqual(during.map((r) => r.file), ['short.wav']);
    const status = await c.locator('.card-status').textContent();
    await page.waitForFunction((s) => document.querySelector('li.card .card-status')?.textContent !== s, status, { timeout: 5000 })
      .catch(() => { throw new Error(`progress stuck at "${status}"`); });
    assert.equal(await c.getAttribute('aria-busy'), 'true', 'still running: the clip was too short to test responsiveness');
    // The worker reports every window as it finishes: the count moves.
    const windowsOf = `of ${expected['three-minutes.wav'].segments.length} (`;
    await page.waitForFunction((w) => /window \d+ of/.test(document.querySelector('li.card .card-status')?.textContent || '') &&
      document.querySelector('li.card .card-status').textContent.includes(w), windowsOf, { timeout: 10_000 })
      .catch(async () => { throw new Error(`no window count in "${await c.locator('.card-status').textContent()}"`); });
    await c.locator('.verdict, .card-error').first().waitFor({ timeout: LONG_MS });
    const ms = Date.now() - t0;
    const gap = await page.evaluate(() => window.frameGap);
    const s = await shown(c);
    const want = expected['three-minutes.wav'];
    assert.equal(s.error, null, `${s.error} ${s.detail}`);
    assert.equal(s.label.toLowerCase(), want.label);
    const blocks = await timeline(c);
    assert.equal(blocks.length, want.segments.length);
    assert.ok(blocks.length > 100, `${blocks.length} segments`);
    assert.deepEqual(blocks.map((b) => b.label), want.segments.map((x) => x.label));
    // Adjacent blocks spanning the picture's width, in time order.
    // (CSS keeps about 6 significant digits of a percentage.)
    assert.ok(Math.abs(blocks[0].left) < 1e-3);
    for (let i = 1; i < blocks.length; i++) {
      const b = blocks[i], a = blocks[i - 1];
      assert.ok(b.width > 0 && Math.abs(b.left - a.left - a.width) < 1e-3, `block ${i}: ${JSON.stringify([a, b])}`);
    }
    const last = blocks.at(-1);
    assert.ok(Math.abs(last.left + last.width - 100) < 1e-3);
    // The timeline is as wide as the picture, right under it.
    const [cv, tl] = await Promise.all([c.locator('canvas').boundingBox(), c.locator('.timeline-strip').boundingBox()]);
    assert.ok(Math.abs(cv.x - tl.x) < 1 && Math.abs(cv.width - tl.width) < 1 && tl.y >= cv.y + cv.height, JSON.stringify({ cv, tl }));
    assert.ok(gap < 1000, `the page froze for ${Math.round(gap)} ms`);
    assert.match(await c.locator('.timeline-strip').getAttribute('aria-label'),
      new RegExp(`^Emotion over time, .*, ${want.segments.length} windows: \\w+ \\d+`));
    const mem = Number(await c.getAttribute('data-wasm-memory'));
    console.log(`# 3-minute clip: ${ms} ms pick to result, ${blocks.length} segments, longest frame gap ${Math.round(gap)} ms, wasm memory ${(mem / 2 ** 20).toFixed(0)} MiB`);
    await c.scrollIntoViewIfNeeded();
    await c.screenshot({ path: join(shots, 'long-clip.png'), animations: 'disabled' });
  });

  test('export: CSV and JSON of every result on the page', async () => {
    const json = await exported('#export-json');
    assert.match(json.name, /^emotion-results-.*\.json$/);
    const records = JSON.parse(json.text);
    assert.deepEqual(records.map((r) => r.file), ['short.wav', 'three-minutes.wav']);
    for (const r of records) {
      const want = expected[r.file];
      assert.equal(r.label, want.label);
      assert.equal(r.segments?.length, want.segments?.length);
      for (const [l, p] of Object.entries(want.probabilities)) assert.ok(Math.abs(r.probabilities[l] - p) < 1e-4, `${r.file} ${l}`);
    }
    const csv = await exported('#export-csv');
    assert.match(csv.name, /^emotion-results-.*\.csv$/);
    const rows = csv.text.trimEnd().split('\r\n').map((l) => l.split(','));
    const labels = Object.keys(expected['short.wav'].probabilities);
    assert.deepEqual(rows[0].slice(0, 8), ['file', 'kind', 'start', 'end', 'label', 'confidence', 'error_code', 'error']);
    assert.deepEqual(rows[0].slice(8).sort(), labels.map((l) => `p_${l}`).sort());
    const segs = expected['three-minutes.wav'].segments;
    assert.equal(rows.length, 1 + 1 + 1 + segs.length);
    assert.deepEqual(rows[1].slice(0, 2), ['short.wav', 'clip']);
    assert.equal(rows[1][4], expected['short.wav'].label);
    assert.deepEqual(rows[2].slice(0, 2), ['three-minutes.wav', 'clip']);
    assert.deepEqual(rows.slice(3).map((r) => r[4]), segs.map((x) => x.label));
    assert.ok(rows.every((r) => r.length === 8 + labels.length));
    assert.ok(Math.abs(Number(rows[3][2]) - segs[0].start) < 1e-3);
  });

  test('a 10-minute clip finishes, within the memory bound', async () => {
    const t0 = Date.now();
    await pick('ten-minutes.wav');
    const c = card(page, 'ten-minutes.wav');
    await c.locator('.card-status', { hasText: 'Listening for emotion' }).waitFor({ timeout: 120_000 });
    await watchFrames();
    await c.locator('.verdict, .card-error').first().waitFor({ timeout: LONG_MS });
    const ms = Date.now() - t0;
    const gap = await page.evaluate(() => window.frameGap);
    const s = await shown(c);
    const want = expected['ten-minutes.wav'];
    assert.equal(s.error, null, `${s.error} ${s.detail}`);
    assert.equal(s.label.toLowerCase(), want.label);
    assert.equal((await timeline(c)).length, want.segments.length);
    const mem = Number(await c.getAttribute('data-wasm-memory'));
    console.log(`# 10-minute clip: ${ms} ms pick to result, ${want.segments.length} segments, longest frame gap ${Math.round(gap)} ms, wasm memory ${(mem / 2 ** 20).toFixed(0)} MiB`);
    assert.ok(mem > 0 && mem < MEMORY_BOUND, `wasm memory ${mem} bytes, bound ${MEMORY_BOUND}`);
    assert.ok(gap < 1000, `the page froze for ${Math.round(gap)} ms`);
  });

  test('no console errors', () => assert.deepEqual(errors, []));
});
