// 200 files in a row in one page, no reload, in real headless Chromium:
// the wasm's memory and the tab's memory must level off, not grow per file.
//
//   node --test web/test/memory.test.mjs     (environment as browser.test.mjs)
//
// The files are 200 different RAVDESS clips (10 from each of the 20
// actors), every tenth encoded to MP3 with lame at test time. Each is
// picked on its own, as a visitor adding files one after another would,
// and must reach its final card with the CLI's label. After files 1, 20,
// 50, 100, 150 and 200 the test collects the garbage of the page and of
// its worker (CDP) and samples:
//   wasm     the wasm's linear memory (the card's data-wasm-memory),
//   worker   the worker's JS heap and ArrayBuffers (CDP Runtime.getHeapUsage
//            on the worker's target; the wasm's memory is not among them),
//   page     the page's JS heap and ArrayBuffers (Runtime.getHeapUsage),
//   dom      the page's DOM heap (Blink's, the "embedder heap" there),
//   rss      the resident memory of the renderer processes (/proc): page,
//            worker, wasm, DOM, layout and canvases together.
// The series is printed for the lead to quote.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { baseArgs, chromiumPath, cliBin, ravdess, READY_MS, rendererRSS, site, startServer, watch } from './harness.mjs';

const FILES = 200;
const CHECKPOINTS = [1, 20, 50, 100, 150, 200];
const MiB = 1 << 20;
const kB = 1000;
// One clip, pick to final card, on a loaded 2-core machine (measured
// 0.12-2.8 s): generous, a hang is what it catches.
const FILE_MS = 30_000;

// The bounds hold from file 50 (warm: the Go heap has its working size)
// to file 200. A leak of one copy of each file's bytes (~120 kB a clip)
// would add ~18 MB over those 150 files, one of each picture (~30 kB) ~4.5 MB.
//   wasm:   Go reuses its heap, so linear memory must not grow after
//           warm-up; one 4 MiB heap arena of slack for GC timing.
//   worker: the worker keeps nothing between files: 1 MiB in all.
//   page:   per card, the picture's pixels the card keeps to redraw and to
//           show each channel (w×64×4 bytes, w ≤ ~160 for these clips:
//           under 41 kB) and its record: 64 kB a card.
//   rss:    per card, everything: the DOM and its layout (measured
//           0.31-0.33 MB a card; 0.45-0.58 MB before cards far from the
//           viewport gave back their canvases), 640 kB a card.
// The DOM heap is reported, not bounded: the cards are kept on purpose.
const WASM_GROWTH = 4 * MiB;
const WORKER_GROWTH = 1 * MiB;
const PAGE_PER_CARD = 64 * kB;
const RSS_PER_CARD = 640 * kB;

let tmp, server, origin, browser, page, cdp, workerSession;
const errors = [];
const files = []; // paths, in the order they are picked
const expected = new Map(); // base name -> the CLI's label

before(async () => {
  for (const [what, path] of [['site', join(site, 'index.html')], ['CLI', cliBin], ['RAVDESS', ravdess]]) {
    assert.ok(existsSync(path), `${what} not found at ${path} (run ./build.sh build; set EMOTION_SHARED)`);
  }
  tmp = mkdtempSync(join(tmpdir(), 'emotion-memory-'));
  for (let a = 1; a <= 20; a++) {
    const dir = join(ravdess, `Actor_${String(a).padStart(2, '0')}`);
    // 10 clips per actor, spread over its 60 (emotions and statements vary).
    readdirSync(dir).sort().filter((_, i) => i % 6 === 0).forEach((f) => files.push(join(dir, f)));
  }
  assert.equal(files.length, FILES);
  // Interleave the actors, and make every tenth file an MP3.
  files.sort((x, y) => x.split('/').pop().localeCompare(y.split('/').pop()));
  for (let i = 9; i < FILES; i += 10) {
    const mp3 = join(tmp, files[i].split('/').pop().replace(/\.wav$/, '.mp3'));
    execFileSync('lame', ['--quiet', '-b', '64', files[i], mp3]);
    files[i] = mp3;
  }
  const out = execFileSync(cliBin, ['classify', '-json', ...files], { encoding: 'utf8', maxBuffer: 16 * MiB });
  out.trim().split('\n').forEach((line, i) => expected.set(files[i].split('/').pop(), JSON.parse(line).label));

  ({ origin, server } = await startServer());
  browser = await chromium.launch({ executablePath: chromiumPath, args: baseArgs });
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: 'light' });
  page = await context.newPage();
  watch(page, errors);
  await page.goto(origin + '/');
  await page.locator('.loader.is-ready').waitFor({ timeout: READY_MS });
  cdp = await context.newCDPSession(page);
  // The worker's own target: attached (not flattened) through the page's
  // session, and spoken to with Target.sendMessageToTarget.
  const attached = [];
  cdp.on('Target.attachedToTarget', (e) => attached.push(e));
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  for (let t = Date.now(); !attached.some((e) => e.targetInfo.type === 'worker'); await page.waitForTimeout(50)) {
    assert.ok(Date.now() - t < 10_000, `no worker target: ${attached.map((e) => e.targetInfo.type).join(' ')}`);
  }
  workerSession = attached.find((e) => e.targetInfo.type === 'worker').sessionId;
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// inWorker sends one CDP command to the worker's target.
let nextId = 0;
function inWorker(method, params = {}) {
  const id = ++nextId;
  return new Promise((ok, fail) => {
    const on = (e) => {
      if (e.sessionId !== workerSession) return;
      const m = JSON.parse(e.message);
      if (m.id !== id) return;
      cdp.off('Target.receivedMessageFromTarget', on);
      if (m.error) fail(new Error(`${method}: ${m.error.message}`));
      else ok(m.result);
    };
    cdp.on('Target.receivedMessageFromTarget', on);
    cdp.send('Target.sendMessageToTarget', { sessionId: workerSession, message: JSON.stringify({ id, method, params }) }).catch(fail);
  });
}

// sample collects the garbage of the page and of its worker, lets the
// renderer settle, and reads the memories.
async function sample() {
  await Promise.all([cdp.send('HeapProfiler.collectGarbage'), inWorker('HeapProfiler.collectGarbage')]);
  await page.waitForTimeout(300);
  const [p, w] = await Promise.all([cdp.send('Runtime.getHeapUsage'), inWorker('Runtime.getHeapUsage')]);
  const wasm = Number(await page.locator('#results > li.card').first().getAttribute('data-wasm-memory'));
  return {
    wasm,
    worker: w.usedSize + w.backingStorageSize, // the wasm's memory is not among them
    page: p.usedSize + p.backingStorageSize,
    dom: p.embedderHeapUsedSize,
    rss: rendererRSS(),
  };
}

const mb = (n) => (n / 1e6).toFixed(1);

describe('200 files in one page', () => {
  test('classify in a row; wasm, JS heap and tab memory level off', { timeout: FILES * FILE_MS }, async () => {
    const times = [];
    const series = new Map();
    for (let i = 0; i < FILES; i++) {
      const t0 = Date.now();
      await page.setInputFiles('#pick', files[i]);
      await page.waitForFunction((n) => document.querySelectorAll('#results > li.card:not([aria-busy])').length === n,
        i + 1, { timeout: FILE_MS });
      times.push(Date.now() - t0);
      if (CHECKPOINTS.includes(i + 1)) {
        const s = await sample();
        series.set(i + 1, s);
        console.log(`# after ${i + 1} files: wasm ${mb(s.wasm)} MB, worker JS ${mb(s.worker)} MB, page JS ${mb(s.page)} MB, ` +
          `page DOM ${mb(s.dom)} MB, renderer RSS ${mb(s.rss)} MB`);
      }
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`# per file, pick to final card: median ${sorted[FILES >> 1]} ms, 90th ${sorted[Math.floor(FILES * 0.9)]} ms, ` +
      `max ${sorted.at(-1)} ms, total ${(times.reduce((s, t) => s + t, 0) / 1000).toFixed(1)} s`);
    console.log(`# per file, ms: ${times.join(' ')}`);

    // Every card is right: the CLI's label, in order (newest on top).
    const shown = await page.locator('#results > li.card').evaluateAll((cs) => cs.map((c) => ({
      name: c.querySelector('.card-name').textContent,
      label: c.querySelector('.verdict-label')?.textContent.toLowerCase() ?? null,
      error: c.querySelector('.error-detail')?.textContent ?? null,
    })));
    assert.equal(shown.length, FILES);
    shown.reverse().forEach((c, i) => {
      const name = files[i].split('/').pop();
      assert.equal(c.name, name);
      assert.equal(c.error, null, `${name}: ${c.error}`);
      assert.equal(c.label, expected.get(name), name);
    });

    const [warm, last] = [series.get(50), series.get(200)];
    const grew = Object.fromEntries(Object.keys(last).map((k) => [k, last[k] - warm[k]]));
    const cards = 150;
    console.log(`# growth from file 50 to 200: wasm ${mb(grew.wasm)} MB, worker JS ${mb(grew.worker)} MB, ` +
      `page JS ${mb(grew.page)} MB (${(grew.page / cards / kB).toFixed(1)} kB a card), page DOM ${mb(grew.dom)} MB ` +
      `(${(grew.dom / cards / kB).toFixed(1)} kB a card), renderer RSS ${mb(grew.rss)} MB (${(grew.rss / cards / kB).toFixed(0)} kB a card)`);
    assert.ok(grew.wasm <= WASM_GROWTH, `wasm memory grew ${mb(grew.wasm)} MB from file 50 to 200`);
    assert.ok(grew.worker <= WORKER_GROWTH, `the worker's JS memory grew ${mb(grew.worker)} MB from file 50 to 200`);
    assert.ok(grew.page <= cards * PAGE_PER_CARD, `the page's JS memory grew ${mb(grew.page)} MB from file 50 to 200`);
    assert.ok(grew.rss <= cards * RSS_PER_CARD, `renderer RSS grew ${mb(grew.rss)} MB from file 50 to 200`);
    assert.deepEqual(errors, []);
  });

  test('cards far from the viewport give back their pictures, and draw them again when scrolled to', async () => {
    const canvases = page.locator('#results > li.card canvas');
    const state = () => canvases.evaluateAll((cs) => cs.map((c) => c.width));
    // pixels reads what a canvas shows: its size and the share of lit pixels.
    const pixels = (c) => c.evaluate((cv) => {
      if (!cv.width) return { w: 0, h: cv.height, lit: 0, sum: 0 };
      const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      let lit = 0;
      let sum = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] + d[i + 1] + d[i + 2] > 30) lit++;
        sum = (sum * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) % 1_000_000_007;
      }
      return { w: cv.width, h: cv.height, lit: lit / (d.length / 4), sum };
    });
    let widths = await state();
    assert.equal(widths.length, FILES);
    assert.ok(widths[0] > 0, 'the newest picture, on screen, is not drawn');
    const released = widths.filter((w) => w === 0).length;
    console.log(`# at the top of the page: ${FILES - released} pictures drawn, ${released} given back`);
    assert.ok(released >= FILES - 40, `only ${released} of ${FILES} far-away canvases gave back their pixels`);
    // The oldest card, at the bottom: drawn again once it comes near.
    const oldest = canvases.last();
    assert.equal((await pixels(oldest)).w, 0);
    await oldest.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => [...document.querySelectorAll('#results > li.card canvas')].at(-1).width > 0, null, { timeout: 5_000 });
    const p = await pixels(oldest);
    assert.equal(p.h, 64);
    assert.ok(p.lit > 0.3, `the redrawn picture is dark: ${JSON.stringify(p)}`);
    widths = await state();
    assert.equal(widths[0], 0, 'the newest picture, now far above, kept its pixels');
    // A channel shown alone survives being given back and drawn again.
    const card = page.locator('#results > li.card').last();
    await card.locator('.legend-button', { hasText: 'chroma' }).click();
    const chroma = await pixels(oldest);
    assert.notEqual(chroma.sum, p.sum, 'chroma alone looks like all three channels');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(() => [...document.querySelectorAll('#results > li.card canvas')].at(-1).width === 0, null, { timeout: 5_000 });
    await oldest.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => [...document.querySelectorAll('#results > li.card canvas')].at(-1).width > 0, null, { timeout: 5_000 });
    assert.deepEqual(await pixels(oldest), chroma);
    assert.equal(await card.locator('.legend-button[aria-pressed="true"]').textContent(), 'chroma');
  });
});
