// Recording from the microphone in real headless Chromium, with Chromium's
// fake capture device playing a RAVDESS clip converted at test time to
// 48 kHz stereo (so the page's down-mix and the decoder's resampling both
// run), then denial and a missing microphone in a browser without the fakes.
//
//   node --test web/test/record.test.mjs      (environment as browser.test.mjs)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { baseArgs, card, chromiumPath, ravdess, READY_MS, shots, shown, site, startServer, watch } from './harness.mjs';

const RESULT_MS = 60_000;
let tmp, server, origin, browser, page;
const errors = [];

before(async () => {
  assert.ok(existsSync(join(site, 'index.html')), `site not found in ${site} (run ./build.sh build)`);
  tmp = mkdtempSync(join(tmpdir(), 'emotion-record-'));
  mkdirSync(shots, { recursive: true });
  const voice = join(tmp, 'voice.wav');
  execFileSync('sox', [join(ravdess, 'Actor_03/03-01-05-02-01-01-03.wav'), '-r', '48000', '-c', '2', '-b', '16', voice]);
  ({ origin, server } = await startServer());
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [...baseArgs, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${voice}`, '--autoplay-policy=user-gesture-required'],
  });
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: 'light' });
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

// record clicks Record, lets fn end the recording, and returns the new card.
async function record(end) {
  const before = await page.locator('li.card').count();
  await page.click('#record-button');
  await page.locator('#record[data-state="recording"]').waitFor({ timeout: 10_000 });
  await end();
  await page.locator('#record[data-state="idle"]').waitFor({ timeout: 20_000 });
  await page.waitForFunction((n) => document.querySelectorAll('li.card').length > n, before);
  const c = page.locator('li.card').first();
  await c.locator('.verdict, .card-error').first().waitFor({ timeout: RESULT_MS });
  return c;
}

describe('record', () => {
  test('Record, level meter and time move, Stop: the recording gets a card with a verdict', async () => {
    let peak = 0;
    let time = 0;
    let status = '';
    const c = await record(async () => {
      // Until the clock shows 3 s, watching the meter (no wall-clock
      // assumptions: the machine may be slow).
      while (time < 3) {
        await page.waitForTimeout(100);
        peak = Math.max(peak, await page.$eval('#record-level', (m) => m.value));
        const [m, sec] = (await page.textContent('#record-time')).split(':').map(Number);
        time = 60 * m + sec;
      }
      status = await page.textContent('#record-status');
      assert.equal(await page.textContent('#record-label'), 'Stop');
      assert.equal(await page.getAttribute('#record-button', 'aria-pressed'), 'true');
      await page.screenshot({ path: join(shots, 'recording.png'), animations: 'disabled' });
      await page.click('#record-button');
    });
    console.log(`# ${status}`);
    assert.match(status, /^Recording at \d+\.\d kHz; stops by itself after 1:00\.$/);
    assert.ok(peak > 0.3, `the level meter never moved (max ${peak})`);
    const s = await shown(c);
    assert.match(s.name, /^recording-\d\d-\d\d-\d\d\.wav$/);
    assert.equal(s.error, null, `${s.error} ${s.detail}`);
    assert.equal(s.bars, 8);
    const secs = parseFloat(s.meta);
    assert.ok(secs >= 3 && secs < 60, `recorded ${s.meta}`);
    assert.match(await page.textContent('#record-status'), /^Recorded \d\.\d s; analysing/);
    assert.equal(await page.textContent('#record-label'), 'Record');
  });

  test('the length limit stops the recording at exactly the limit', async () => {
    await page.selectOption('#record-max', '5');
    const c = await record(() => page.locator('#record[data-state="idle"]').waitFor({ timeout: 20_000 }));
    const s = await shown(c);
    assert.equal(s.error, null, `${s.error} ${s.detail}`);
    assert.match(s.meta, /^5\.00 s/);
    assert.match(await page.textContent('#record-status'), /^Recorded 5\.0 s \(the length limit\)/);
    await page.selectOption('#record-max', '60');
  });

  test('the page hidden while recording: it stops and keeps what was captured', async () => {
    const c = await record(async () => {
      await page.waitForTimeout(2000);
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
        delete document.visibilityState;
      });
    });
    const s = await shown(c);
    assert.equal(s.error, null, `${s.error} ${s.detail}`);
    assert.ok(parseFloat(s.meta) > 1.5, s.meta);
    assert.match(await page.textContent('#record-status'), /because the page was hidden/);
  });

  test('an AudioContext at another rate (22.05 kHz): the recording is resampled like a file', async () => {
    const p = await page.context().newPage();
    watch(p, errors);
    // The page asks for the device's rate; this one gets 22050 Hz instead.
    await p.addInitScript(() => {
      const AC = window.AudioContext;
      window.AudioContext = class extends AC { constructor(o) { super({ ...o, sampleRate: 22050 }); } };
    });
    await p.goto(origin + '/');
    await p.locator('.loader.is-ready').waitFor({ timeout: READY_MS });
    await p.selectOption('#record-max', '5');
    await p.click('#record-button');
    await p.locator('#record[data-state="recording"]').waitFor({ timeout: 10_000 });
    assert.match(await p.textContent('#record-status'), /^Recording at 22\.1 kHz/);
    await p.locator('#record[data-state="idle"]').waitFor({ timeout: 30_000 });
    const c = p.locator('li.card').first();
    await c.locator('.verdict, .card-error').first().waitFor({ timeout: RESULT_MS });
    const s = await shown(c);
    assert.equal(s.error, null, `${s.error} ${s.detail}`);
    assert.match(s.meta, /^5\.00 s/);
    await p.close();
  });

  test('no console errors', () => assert.deepEqual(errors, []));
});

describe('record without a microphone to use', () => {
  // No fake UI: the permission is what the context grants. Chromium looks
  // for devices before it asks, so the denial needs the fake device.
  for (const [what, args, permissions, state, message] of [
    ['permission denied', ['--use-fake-device-for-media-stream'], [], 'denied', /Microphone access was denied/],
    ['no microphone', [], ['microphone'], 'no_microphone', /No microphone was found/],
  ]) {
    test(`${what}: a clear message, and no card`, async () => {
      const b = await chromium.launch({ executablePath: chromiumPath, args: [...baseArgs, ...args] });
      try {
        const context = await b.newContext({ permissions });
        const p = await context.newPage();
        const errs = [];
        watch(p, errs);
        await p.goto(origin + '/');
        await p.click('#record-button');
        await p.locator('#record[data-state="error"]').waitFor({ timeout: 20_000 });
        assert.equal(await p.getAttribute('#record', 'data-error'), state);
        assert.match(await p.textContent('#record-status'), message);
        assert.equal(await p.textContent('#record-label'), 'Record');
        assert.equal(await p.getAttribute('#record-button', 'aria-pressed'), 'false');
        assert.equal(await p.locator('li.card').count(), 0);
        if (state === 'denied') await p.screenshot({ path: join(shots, 'record-denied.png'), animations: 'disabled' });
        assert.deepEqual(errs, []);
      } finally {
        await b.close();
      }
    });
  }
});
