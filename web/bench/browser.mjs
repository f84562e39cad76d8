// The page's speed in real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core, the launch flags of web/test/browser.test.mjs),
// served by bin/serve from the static/ that exists (build nothing here: run
// `SITE_BROTLI_QUALITY=11 ./build.sh build` first for the shipped sizes).
//
//   node web/bench/browser.mjs [-reps N] [-out FILE.json] [-lab none|ort|full] [-wasm FILE] [-turbofan]
//
// It measures, N times each (median and range):
//   - bytes transferred on a first load (encoded bodies plus headers);
//   - navigation to ready on a cold load (a fresh user-data-dir) and on a
//     warm one (the same profile reloaded: wasm from the HTTP cache), with
//     the worker's own split (data-timings of #loader);
//   - setInputFiles to the result card for a 3 s and a 30 s clip on a warm
//     page, split at the page↔worker messages (the page's one classify
//     request, the worker's picture message, its result) and by the wasm's
//     own stage timings (the card's data-timings: decode, image, picture,
//     model); a page of the older protocol (an image request, then a
//     classify request) is timed at its two requests;
//   - tab memory: the renderer process's RSS, and the page's JS heap;
//   - which of dsp's kernel sets the wasm ran (emotion.kernels: "simd" or
//     "go"), in the page's worker and in the lab page;
//   - with -lab ort (the default) or full, a lab page (a temporary origin
//     served by this script) that starts the
//     same wasm in stages (download, compile, instantiate, Go's main until
//     the model is warm) — under V8 flag and compile-path variants with
//     -lab full — checks whether V8's wasm code cache serves a second
//     load, and runs model/emotion.onnx in
//     onnxruntime-web 1.30.0 (wasm EP, one thread) in the same browser for
//     the per-window ratio. With -wasm FILE (an unstripped build of ./wasm,
//     same source) it also CPU-profiles Go's start with function names.
// It prints a markdown table and writes JSON (default build/bench/browser.json),
// which cmd/benchdoc turns into docs/BENCHMARKS.md.
//
// Environment: EMOTION_SITE (static/), EMOTION_SERVE (bin/serve),
// EMOTION_SHARED (../shared, for RAVDESS), CHROMIUM (/usr/bin/chromium).
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHTTPServer } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const site = resolve(root, process.env.EMOTION_SITE || 'static');
const serveBin = resolve(root, process.env.EMOTION_SERVE || 'bin/serve');
const shared = resolve(root, process.env.EMOTION_SHARED || '../shared');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i < 0 ? def : args[i + 1]; };
const REPS = Number(opt('-reps', 5));
const OUT = resolve(root, opt('-out', 'build/bench/browser.json'));
const NAMED_WASM = opt('-wasm', null);
const LAB = args.includes('-skip-lab') ? 'none' : opt('-lab', 'ort');
if (!['none', 'ort', 'full'].includes(LAB)) throw new Error(`-lab ${LAB}: want none, ort or full`);
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TIMEOUT = 180_000;

const tmp = mkdtempSync(join(tmpdir(), 'emotion-bench-'));
const out = { date: new Date().toISOString(), reps: REPS, args: args.join(' '), machine: {}, site: { files: {} }, cold: [], warm: [], revisit: [], clips: {}, memory: {}, lab: {} };
const loads = []; // load averages seen during the run

// --- small helpers --------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const r1 = (x) => Math.round(x * 10) / 10;
function stats(xs) {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const mid = s.length >> 1;
  return { median: r1(s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2), min: r1(s[0]), max: r1(s.at(-1)), n: s.length };
}
const fmt = (st, unit = 'ms') => (st ? `${st.median} ${unit} (${st.min}–${st.max}, n=${st.n})` : 'n/a');
const noteLoad = () => { const l = loadavg()[0]; loads.push(l); return l; };

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

// browserCPU is the CPU time (ms, user + system) used so far by the browser
// whose command line names profileDir and all its processes (renderer,
// network, GPU): unlike wall time, it is not inflated by waiting for a core.
function browserCPU(profileDir) {
  const procs = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
      procs.push({ pid: Number(d), ppid: Number(stat[1]), ticks: Number(stat[11]) + Number(stat[12]), cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8') });
    } catch { /* gone */ }
  }
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  let ticks = 0;
  for (const p of procs) {
    for (let q = p, i = 0; q && i < 10; q = byPid.get(q.ppid), i++) {
      if (q.cmd.includes(profileDir) && !q.cmd.includes('--type=')) { ticks += p.ticks; break; }
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

// rendererRSS sums VmRSS of the renderer processes under the browser whose
// command line names profileDir (the tab and its worker live in one renderer).
function rendererRSS(profileDir) {
  const procs = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      procs.push({ pid: Number(d), ppid, cmd });
    } catch { /* gone */ }
  }
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const underBrowser = (p) => {
    for (let q = p, i = 0; q && i < 10; q = byPid.get(q.ppid), i++) if (q.cmd.includes(profileDir) && !q.cmd.includes('--type=')) return true;
    return false;
  };
  let kb = 0;
  for (const p of procs) {
    if (!p.cmd.includes('--type=renderer') || !underBrowser(p)) continue;
    try { kb += Number(readFileSync(`/proc/${p.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]); } catch { /* gone */ }
  }
  return kb * 1024;
}

// codeCacheBytes is the size of Chromium's on-disk wasm code cache in a
// profile: non-zero once V8 has cached the compiled module.
function codeCacheBytes(profileDir) {
  const walk = (d) => (existsSync(d) ? readdirSync(d, { withFileTypes: true })
    .reduce((n, e) => n + (e.isDirectory() ? walk(join(d, e.name)) : statSync(join(d, e.name)).size), 0) : 0);
  return walk(join(profileDir, 'Default', 'Code Cache', 'wasm'));
}

// --- the site as built ------------------------------------------------------------

function describeSite() {
  const manifest = JSON.parse(readFileSync(join(site, 'manifest.json'), 'utf8'));
  const size = (f) => (existsSync(f) ? statSync(f).size : null);
  for (const [name, file] of Object.entries(manifest)) {
    const p = join(site, file);
    out.site.files[name] = { file, raw: size(p), br: size(p + '.br'), gz: size(p + '.gz') };
  }
  // Brotli quality: cmd/site's cache names it (…<sha256>.brNN-…); otherwise
  // guess from the ratio (q11 gives ≈ 12.3 % on this wasm, q5 ≈ 15 %).
  const wasm = out.site.files['emotion.wasm'];
  const hash = wasm.file.match(/\.([0-9a-f]{8})\./)?.[1];
  const cacheDir = join(root, 'build/site/cache');
  const cached = existsSync(cacheDir) && hash ? readdirSync(cacheDir).find((f) => f.startsWith(hash) && /\.br\d+-/.test(f)) : null;
  const ratio = wasm.br / wasm.raw;
  out.site.brotli_quality = cached ? Number(cached.match(/\.br(\d+)-/)[1]) : null;
  out.site.brotli_quality_from = cached ? `build/site/cache/${cached}` : `not in the build cache; br/raw = ${(100 * ratio).toFixed(1)} % (q11 ≈ 12.3 %)`;
}

// --- inputs -------------------------------------------------------------------------

function makeClips() {
  const dir = join(shared, 'data/ravdess-16k');
  const actors = readdirSync(dir).filter((d) => d.startsWith('Actor_')).sort();
  const wavs = actors.slice(0, 12).map((a) => join(dir, a, readdirSync(join(dir, a)).filter((f) => f.endsWith('.wav')).sort()[8]));
  const clip3 = join(tmp, 'clip-3s.wav');
  execFileSync('sox', [wavs[0], clip3, 'trim', '0', '3']);
  const clip30 = join(tmp, 'clip-30s.wav');
  execFileSync('sox', [...wavs, clip30, 'trim', '0', '30']);
  return { '3s': clip3, '30s': clip30 };
}

// --- the real page ---------------------------------------------------------------------

// Recorded in the page before its scripts run: when the loader became
// ready (ms since navigation start), and every page↔worker message.
function pageProbe() {
  window.bench = { messages: [], ready: null, workerAt: null };
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      window.bench.workerAt = performance.now();
      this.addEventListener('message', (e) => window.bench.messages.push({ t: performance.now(), dir: 'in', type: e.data?.type, id: e.data?.id }));
    }
    postMessage(m, t) {
      window.bench.messages.push({ t: performance.now(), dir: 'out', type: m?.type, id: m?.id });
      return super.postMessage(m, t);
    }
  };
  document.addEventListener('DOMContentLoaded', () => {
    const loader = document.getElementById('loader');
    new MutationObserver(() => {
      if (window.bench.ready === null && loader.classList.contains('is-ready')) window.bench.ready = performance.now();
    }).observe(loader, { attributes: true, attributeFilter: ['class'] });
    // When each card first shows its picture and its verdict (Playwright's
    // polling would add its own delay).
    window.bench.shown = {};
    window.bench.imageShown = {};
    new MutationObserver(() => {
      for (const c of document.querySelectorAll('li.card')) {
        const name = c.querySelector('.card-name')?.textContent;
        if (!name) continue;
        if (!(name in window.bench.imageShown) && c.querySelector('canvas')) window.bench.imageShown[name] = performance.now();
        if (!(name in window.bench.shown) && c.querySelector('.verdict, .card-error')) window.bench.shown[name] = performance.now();
      }
    }).observe(document.getElementById('results'), { childList: true, subtree: true });
  });
}

async function launch(profileDir, extra = []) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath, args: [...LAUNCH_ARGS, ...extra], viewport: { width: 1100, height: 900 },
  });
}

async function waitReady(page) {
  await page.locator('.loader.is-ready').waitFor({ timeout: TIMEOUT });
  const b = await page.evaluate(() => window.bench);
  const t = JSON.parse(await page.getAttribute('#loader', 'data-timings'));
  // dsp's kernel set in the worker (null: a page from before it was reported).
  const kernels = await page.getAttribute('#loader', 'data-kernels');
  return { nav_to_ready_ms: r1(b.ready), worker_created_ms: r1(b.workerAt), worker: t, kernels };
}

// timeClip gives the page a file and times it to the result card. With
// the page's one classify request, the split is: the file handed over and
// read (setInputFiles → request posted), the worker's picture message and
// its result message (from the request), drawing the card, and the wasm's
// own stages (the card's data-timings). A page of the older protocol (an
// image request, then a classify request) is split at its two requests.
async function timeClip(page, path, name) {
  const copy = join(tmp, name);
  copyFileSync(path, copy);
  await page.evaluate(() => { window.bench.messages = []; });
  const t0 = await page.evaluate(() => performance.now());
  await page.setInputFiles('#pick', copy);
  const card = page.locator('li.card', { has: page.locator('.card-name', { hasText: name }) });
  await card.locator('.verdict, .card-error').first().waitFor({ timeout: TIMEOUT });
  const [t1, tImg, msgs, err, timings, mem] = await page.evaluate((n) => {
    const c = [...document.querySelectorAll('li.card')].find((e) => e.querySelector('.card-name')?.textContent === n);
    return [window.bench.shown[n], window.bench.imageShown[n], window.bench.messages,
      c?.querySelector('.card-error .error-headline')?.textContent, c?.dataset.timings, c?.dataset.wasmMemory];
  }, name);
  if (err) throw new Error(`${name}: ${err}`);
  const outs = msgs.filter((m) => m.dir === 'out');
  const results = msgs.filter((m) => m.dir === 'in' && m.type === 'result');
  const r = {
    total_ms: r1(t1 - t0),
    to_request_ms: r1(outs[0].t - t0),
    image_shown_ms: tImg === undefined ? null : r1(tImg - t0),
    after_result_ms: r1(t1 - results.at(-1).t),
    wasm_memory: mem ? Number(mem) : null,
  };
  if (outs.some((m) => m.type === 'image')) {
    // Older page: an image request, then a classify request.
    const img = outs.find((m) => m.type === 'image');
    const cls = outs.find((m) => m.type === 'classify');
    r.protocol = 'image+classify';
    r.image_request_ms = r1(results.find((m) => m.id === img.id).t - img.t);
    r.classify_request_ms = r1(results.find((m) => m.id === cls.id).t - cls.t);
  } else {
    const cls = outs.find((m) => m.type === 'classify');
    const pic = msgs.find((m) => m.dir === 'in' && m.type === 'image' && m.id === cls.id);
    r.protocol = 'classify';
    r.request_to_image_ms = pic ? r1(pic.t - cls.t) : null;
    r.request_to_result_ms = r1(results.find((m) => m.id === cls.id).t - cls.t);
  }
  if (timings) {
    // The wasm's stage times in ms, and the kernel set that computed the image.
    const { kernels, ...ms } = JSON.parse(timings);
    r.wasm = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, r1(v)]));
    if (kernels) r.kernels = kernels;
  }
  return r;
}

async function benchPage(origin, clips) {
  for (let rep = 0; rep < REPS; rep++) {
    const profile = join(tmp, `profile-${rep}`);
    let ctx = await launch(profile);
    try {
      const transferred = [];
      ctx.on('requestfinished', async (r) => {
        const s = await r.sizes().catch(() => null);
        if (s) transferred.push({ url: r.url(), body: s.responseBodySize, headers: s.responseHeadersSize });
      });
      await ctx.addInitScript(pageProbe);
      const page = ctx.pages()[0] || await ctx.newPage();
      const load = noteLoad();
      const cpu0 = browserCPU(profile);
      await page.goto(origin + '/');
      const cold = await waitReady(page);
      cold.cpu_ms = browserCPU(profile) - cpu0;
      await sleep(500); // let requestfinished sizes arrive
      const first = transferred.filter((t) => !t.url.startsWith('data:'));
      cold.bytes = first.reduce((s, t) => s + t.body + t.headers, 0);
      cold.requests = first.map((t) => ({ path: t.url.slice(origin.length), body: t.body, headers: t.headers }));
      cold.load = load;
      cold.rss = rendererRSS(profile);
      out.cold.push(cold);
      // Warm: the same profile, reloaded (wasm from the HTTP cache); after a
      // pause so that V8 may write its code cache first.
      await sleep(3000);
      transferred.length = 0;
      const loadW = noteLoad();
      const cpuW = browserCPU(profile);
      await page.reload();
      const warm = await waitReady(page);
      warm.cpu_ms = browserCPU(profile) - cpuW;
      await sleep(300);
      warm.bytes = transferred.reduce((s, t) => s + t.body + t.headers, 0);
      warm.load = loadW;
      out.warm.push(warm);
      // Clips on the warm page: one unmeasured 3 s clip first (V8 tier-up).
      await timeClip(page, clips['3s'], `warmup-${rep}.wav`);
      for (const [len, path] of Object.entries(clips)) {
        const c0 = browserCPU(profile);
        const t = await timeClip(page, path, `clip-${len}-${rep}.wav`);
        (out.clips[len] ||= []).push({ ...t, cpu_ms: browserCPU(profile) - c0, load: noteLoad() });
      }
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Performance.enable');
      const m = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
      (out.memory.after_30s ||= []).push({ renderer_rss: rendererRSS(profile), page_js_heap_used: m.JSHeapUsedSize, page_js_heap_total: m.JSHeapTotalSize,
        wasm_memory: out.clips['30s'].at(-1).wasm_memory });
      // Give V8 a moment to write its wasm code cache before it is read (a
      // fresh profile held 1.40 MB 6 s after one clip; read here, right
      // after the clips or 4 s later, it was empty: not yet explained).
      await sleep(4000);
      warm.wasm_code_cache_bytes = codeCacheBytes(profile);
      // Revisit: a new browser on the same profile (HTTP cache and V8's
      // code cache on disk; no compiled module left in the renderer).
      await ctx.close();
      ctx = await launch(profile);
      await ctx.addInitScript(pageProbe);
      const p2 = ctx.pages()[0] || await ctx.newPage();
      const loadR = noteLoad();
      const cpuR = browserCPU(profile);
      await p2.goto(origin + '/');
      const revisit = await waitReady(p2);
      out.revisit.push({ ...revisit, cpu_ms: browserCPU(profile) - cpuR, load: loadR });
      console.error(`rep ${rep + 1}/${REPS}: cold ${cold.nav_to_ready_ms} ms, reload ${warm.nav_to_ready_ms} ms, revisit ${out.revisit.at(-1).nav_to_ready_ms} ms, ` +
        `3 s ${out.clips['3s'].at(-1).total_ms} ms, 30 s ${out.clips['30s'].at(-1).total_ms} ms (load ${load.toFixed(1)})`);
    } finally {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
}

// --- the lab: the same wasm started in stages, and onnxruntime-web ----------------

const LAB_HTML = `<!doctype html><meta charset="utf-8"><title>lab</title>
<script src="wasm_exec.js"></script><script type="module" src="lab.js"></script>`;

// lab.js runs in the page's main thread (so that CDP's Profiler sees it).
// It gives the Go wasm its SIMD kernels' imports (web/lib/go-kernels.js,
// copied beside it), without which the wasm does not instantiate. Their compile is
// synchronous, and Chromium refuses synchronous compiles on a page's main
// thread above a size limit (4 KB in older releases; 8 MB in Chromium 156,
// measured): over it, load() returns 0 and Go falls back to its portable
// kernels, so the lab would time the "go" kernels while the page's worker
// runs "simd". Each run records its kernels (t.kernels); moving the lab
// into a worker would remove the limit, at the price of CDP's main-thread
// profile of Go's start.
const LAB_JS = `
import { addKernelImports } from './go-kernels.js';
window.lab = {};
// start: Go's wasm in stages. streaming 'fetch' compiles from fetch()
// directly (the Response keeps its URL, so Chromium's wasm code cache may
// serve it), 'wrapped' as web/worker.js does, 'cloned' the proposed fix,
// 'no' from downloaded bytes.
window.lab.start = async (url, streaming) => {
  const t = { t0: performance.now() };
  const go = addKernelImports(new Go());
  let module;
  if (streaming === 'fetch') {
    module = await WebAssembly.compileStreaming(fetch(url));
    t.fetch_and_compile = performance.now() - t.t0;
  } else if (streaming === 'cloned') {
    // The fix proposed for web/worker.js: compile the fetched Response
    // itself and count progress on a clone.
    const res = await fetch(url);
    const reader = res.clone().body.getReader();
    let n = 0;
    const counting = (async () => { for (;;) { const { done, value } = await reader.read(); if (done) return; n += value.byteLength; } })();
    module = await WebAssembly.compileStreaming(res);
    await counting;
    t.fetch_and_compile = performance.now() - t.t0;
    t.counted_bytes = n;
  } else if (streaming === 'wrapped') {
    // As web/worker.js does: the body through a TransformStream, in a new
    // Response (which has no URL).
    const res = await fetch(url);
    const body = res.body.pipeThrough(new TransformStream({ transform(c, o) { o.enqueue(c); } }));
    module = await WebAssembly.compileStreaming(new Response(body, { headers: { 'Content-Type': 'application/wasm' } }));
    t.fetch_and_compile = performance.now() - t.t0;
  } else {
    const res = await fetch(url);
    t.headers = performance.now() - t.t0;
    const bytes = await res.arrayBuffer();
    t.download = performance.now() - t.t0 - t.headers;
    const c0 = performance.now();
    module = await WebAssembly.compile(bytes);
    t.compile = performance.now() - c0;
  }
  const i0 = performance.now();
  const instance = await WebAssembly.instantiate(module, go.importObject);
  t.instantiate = performance.now() - i0;
  const g0 = performance.now();
  go.run(instance);
  t.go_main = performance.now() - g0; // runtime start, package inits, model load and warm-up
  t.total = performance.now() - t.t0;
  delete t.t0;
  if (!globalThis.emotion || globalThis.emotion.loadError) throw new Error('wasm did not start: ' + globalThis.emotion?.loadError);
  t.kernels = globalThis.emotion.kernels; // "go" if the main thread refused the kernels' compile (see above)
  window.lab.go = go;
  return t;
};
window.lab.memory = () => window.lab.go._inst.exports.mem.buffer.byteLength;
// classify times emotion.classify (decode + features + model) on bytes.
window.lab.classify = async (url, reps) => {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const times = [];
  let res;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    res = JSON.parse(globalThis.emotion.classify(bytes, {}));
    times.push(performance.now() - t);
  }
  const info = JSON.parse(globalThis.emotion.info(bytes));
  const d0 = performance.now();
  for (let i = 0; i < reps; i++) globalThis.emotion.info(bytes);
  return { times, decode_ms: (performance.now() - d0) / reps, windows: res.segments?.length ?? null, error: res.error, duration: info.duration };
};
// ort: model/emotion.onnx in onnxruntime-web, wasm EP, one thread.
window.lab.ort = async (runs) => {
  const ort = await import('./ort/ort.wasm.min.mjs');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = new URL('./ort/', location.href).href;
  const c0 = performance.now();
  const s = await ort.InferenceSession.create('./emotion.onnx', { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const create = performance.now() - c0;
  const input = new Float32Array(await (await fetch('./input.f32')).arrayBuffer());
  const feed = { [s.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, 64, 128]) };
  for (let i = 0; i < 20; i++) await s.run(feed);
  const times = [];
  for (let i = 0; i < runs; i++) { const t = performance.now(); await s.run(feed); times.push(performance.now() - t); }
  return { create, times };
};
`;

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

// serveLab serves dir with long caching (like bin/serve's hashed names) and
// cross-origin isolation headers.
function serveLab(dir) {
  const srv = createHTTPServer((req, res) => {
    const p = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!p.startsWith(dir) || !existsSync(p) || statSync(p).isDirectory()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(p)] || 'application/octet-stream',
      'Cache-Control': p.endsWith('.html') || p.endsWith('lab.js') ? 'no-cache' : 'public, max-age=31536000, immutable',
      'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    res.end(readFileSync(p));
  });
  return new Promise((ok) => srv.listen(0, '127.0.0.1', () => ok([srv, `http://127.0.0.1:${srv.address().port}`])));
}

// readNPYf32 returns the first window of a float32 .npy as raw bytes.
function firstWindow(path) {
  const b = readFileSync(path);
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + hlen;
  return b.subarray(start, start + 3 * 64 * 128 * 4);
}

function makeLab(clips) {
  const dir = join(tmp, 'lab');
  mkdirSync(join(dir, 'ort'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), LAB_HTML);
  writeFileSync(join(dir, 'lab.js'), LAB_JS);
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  copyFileSync(join(goroot, 'lib/wasm/wasm_exec.js'), join(dir, 'wasm_exec.js'));
  copyFileSync(join(root, 'web/lib/go-kernels.js'), join(dir, 'go-kernels.js'));
  copyFileSync(join(site, out.site.files['emotion.wasm'].file), join(dir, 'emotion.wasm'));
  if (NAMED_WASM) copyFileSync(resolve(NAMED_WASM), join(dir, 'named.wasm'));
  const dist = join(root, 'node_modules/onnxruntime-web/dist');
  for (const f of ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) copyFileSync(join(dist, f), join(dir, 'ort', f));
  copyFileSync(join(root, 'model/emotion.onnx'), join(dir, 'emotion.onnx'));
  writeFileSync(join(dir, 'input.f32'), firstWindow(join(root, 'model/testdata/testvec_input.npy')));
  for (const [len, p] of Object.entries(clips)) copyFileSync(p, join(dir, `clip-${len}.wav`));
  return dir;
}

// labRun starts the wasm in a fresh profile with extra Chromium flags,
// reloads it (code cache?), and optionally times clips and ort.
async function labRun(origin, name, extra, { clips = false, ort = false, streaming = 'no' } = {}) {
  const profile = join(tmp, `lab-${name}`);
  let ctx = await launch(profile, extra);
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const r = { flags: extra.join(' '), streaming, load: noteLoad() };
    await page.goto(origin + '/index.html');
    await page.waitForFunction(() => window.lab?.start);
    let c0 = browserCPU(profile);
    r.cold = await page.evaluate(([s]) => window.lab.start('./emotion.wasm', s), [streaming]);
    r.cold.cpu = browserCPU(profile) - c0;
    if (clips) {
      for (const len of ['3s', '30s']) r[`classify_${len}`] = await page.evaluate(([u]) => window.lab.classify(u, 3), [`./clip-${len}.wav`]);
      r.wasm_memory = await page.evaluate(() => window.lab.memory());
      r.cross_origin_isolated = await page.evaluate(() => crossOriginIsolated);
    }
    if (ort) r.ort = await page.evaluate(() => window.lab.ort(100));
    await sleep(4000); // tier-up and code-cache write
    await page.reload();
    await page.waitForFunction(() => window.lab?.start);
    c0 = browserCPU(profile);
    r.warm = await page.evaluate(([s]) => window.lab.start('./emotion.wasm', s), [streaming]);
    r.warm.cpu = browserCPU(profile) - c0;
    if (errors.length) r.errors = errors;
    await sleep(4000);
    await ctx.close();
    ctx = await launch(profile, extra);
    const p2 = ctx.pages()[0] || await ctx.newPage();
    await p2.goto(origin + '/index.html');
    await p2.waitForFunction(() => window.lab?.start);
    r.wasm_code_cache_bytes = codeCacheBytes(profile);
    c0 = browserCPU(profile);
    r.revisit = await p2.evaluate(([s]) => window.lab.start('./emotion.wasm', s), [streaming]);
    r.revisit.cpu = browserCPU(profile) - c0;
    return r;
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// profileStart CPU-profiles Go's start (go.run until the model is warm) on
// the unstripped wasm and sums time by function, inclusive and self.
async function profileStart(origin) {
  const profile = join(tmp, 'lab-prof');
  const ctx = await launch(profile);
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    await page.goto(origin + '/index.html');
    await page.waitForFunction(() => window.lab?.start);
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const t = await page.evaluate(() => window.lab.start('./named.wasm', 'no'));
    const { profile: p } = await cdp.send('Profiler.stop');
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
    const self = new Map(); const incl = new Map();
    let totalUs = 0;
    p.samples.forEach((id, i) => {
      const dt = p.timeDeltas[i + 1] ?? 0;
      totalUs += dt;
      const name = (n) => n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'anon'})`;
      const leaf = nodes.get(id);
      self.set(name(leaf), (self.get(name(leaf)) || 0) + dt);
      const seen = new Set();
      for (let q = id; q !== undefined; q = parent.get(q)) {
        const nm = name(nodes.get(q));
        if (!seen.has(nm)) { seen.add(nm); incl.set(nm, (incl.get(nm) || 0) + dt); }
      }
    });
    const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, us]) => ({ fn: n, ms: r1(us / 1000) }));
    const pick = (re) => [...incl].filter(([n]) => re.test(n)).sort((a, b) => b[1] - a[1]).slice(0, 40).map(([n, us]) => ({ fn: n, ms: r1(us / 1000) }));
    return {
      stages: t, profiled_ms: r1(totalUs / 1000), top_self: top(self, 25),
      inclusive: pick(/^(main\.|runtime\.(doInit|main|schedinit|gcStart|mallocgc|bgsweep|gcBgMarkWorker)|emotion\/|github\.com\/owulveryck|gorgonia|google\.golang\.org\/protobuf.*init|.*\.init(\.\d+)?$|\(program\)|\(garbage collector\)|\(idle\)|wasm|compile)/),
    };
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// --- the report -----------------------------------------------------------------------------

function report() {
  const w = out.site.files['emotion.wasm'];
  const s = (xs, f) => stats(xs.map(f));
  const lines = [];
  const row = (...c) => lines.push(`| ${c.join(' | ')} |`);
  lines.push(`Chromium ${out.machine.chromium}; ${out.machine.cpus}; load average during the run ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; ${REPS} repetitions, median (min–max).`, '');
  row('what', 'measured');
  row('---', '---');
  row('wasm size', `${w.raw} B raw, ${w.br} B brotli (q${out.site.brotli_quality ?? '?'}), ${w.gz} B gzip`);
  row('transferred, first load', fmt(s(out.cold, (c) => c.bytes / 1e6), 'MB'));
  row('cold: navigation → ready', fmt(s(out.cold, (c) => c.nav_to_ready_ms)));
  row('  browser CPU time (all processes)', fmt(s(out.cold, (c) => c.cpu_ms), 'cpu-ms'));
  row('  page: navigation → worker created', fmt(s(out.cold, (c) => c.worker_created_ms)));
  row('  worker: to the wasm\'s headers', fmt(s(out.cold, (c) => c.worker.response)));
  row('  worker: download + compile (streaming)', fmt(s(out.cold, (c) => c.worker.compile)));
  row('  worker: Go main, model load + warm-up', fmt(s(out.cold, (c) => c.worker.model)));
  for (const [what, xs] of [['reload (same tab)', out.warm], ['revisit (new browser, same profile)', out.revisit]]) {
    row(`warm ${what}: navigation → ready`, fmt(s(xs, (c) => c.nav_to_ready_ms)));
    row('  browser CPU time', fmt(s(xs, (c) => c.cpu_ms), 'cpu-ms'));
    row('  worker: download + compile', fmt(s(xs, (c) => c.worker.compile)));
    row('  worker: Go main, model load + warm-up', fmt(s(xs, (c) => c.worker.model)));
  }
  row('wasm code cache on disk after the reload', fmt(s(out.warm, (c) => c.wasm_code_cache_bytes), 'B'));
  const kernelSets = (xs) => [...new Set(xs.filter(Boolean))].join(', ') || 'n/a';
  row('dsp kernels: page (worker) / lab (main thread)', `${kernelSets(out.cold.map((c) => c.kernels))} / ${kernelSets(Object.values(out.lab.variants || {}).map((v) => v.cold?.kernels))}`);
  for (const len of Object.keys(out.clips)) {
    const c = out.clips[len];
    row(`${len} clip: setInputFiles → result card`, fmt(s(c, (x) => x.total_ms)));
    row('  browser CPU time', fmt(s(c, (x) => x.cpu_ms), 'cpu-ms'));
    row('  setInputFiles → request posted (file handed over, read)', fmt(s(c, (x) => x.to_request_ms)));
    row('  setInputFiles → picture shown', fmt(s(c, (x) => x.image_shown_ms)));
    if (c[0].protocol === 'classify') {
      row('  request → picture message / → result message', `${fmt(s(c, (x) => x.request_to_image_ms))} / ${fmt(s(c, (x) => x.request_to_result_ms))}`);
    } else {
      row('  image request / classify request (older page)', `${fmt(s(c, (x) => x.image_request_ms))} / ${fmt(s(c, (x) => x.classify_request_ms))}`);
    }
    for (const k of Object.keys(c[0].wasm || {})) row(`  inside the wasm: ${k}`, fmt(s(c, (x) => x.wasm?.[k])));
    row('  result message → verdict shown', fmt(s(c, (x) => x.after_result_ms)));
  }
  const m = out.memory.after_30s || [];
  row('renderer RSS after ready (cold)', fmt(s(out.cold, (c) => c.rss / 1e6), 'MB'));
  row('renderer RSS after the 30 s clip', fmt(s(m, (x) => x.renderer_rss / 1e6), 'MB'));
  row('page JS heap used (main thread)', fmt(s(m, (x) => x.page_js_heap_used / 1e6), 'MB'));
  for (const [name, r] of Object.entries(out.lab.variants || {})) {
    const c = r.cold; const wv = r.warm;
    const split = (x) => (x.compile !== undefined ? `download ${r1(x.download)} + compile ${r1(x.compile)}` : `fetch+compile ${r1(x.fetch_and_compile)}`) +
      ` + instantiate ${r1(x.instantiate)} + Go main ${r1(x.go_main)} = ${r1(x.total)} ms wall, ${x.cpu} cpu-ms`;
    const how = { no: 'compile(bytes)', fetch: 'compileStreaming(fetch)', wrapped: 'compileStreaming(new Response(stream)) as web/worker.js', cloned: 'compileStreaming(fetch), progress from res.clone()' }[r.streaming];
    row(`lab ${name} (${r.flags || 'default flags'}, ${how}): cold`, split(c));
    row(`lab ${name}: reload`, split(wv));
    row(`lab ${name}: revisit`, `${split(r.revisit)}; wasm code cache on disk ${r.wasm_code_cache_bytes} B`);
    if (r.classify_3s) row(`lab ${name}: emotion.classify 3 s / 30 s`, `${fmt(stats(r.classify_3s.times))} / ${fmt(stats(r.classify_30s.times))}; decode ${r1(r.classify_3s.decode_ms)} / ${r1(r.classify_30s.decode_ms)} ms`);
  }
  if (out.lab.per_window) row('Go wasm per window (30 s − 3 s classify slope) / ort-web 1.30.0 per window', out.lab.per_window.text);
  return lines.join('\n');
}

async function main() {
  for (const [what, p] of [['site', join(site, 'manifest.json')], ['server', serveBin], ['Chromium', chromiumPath], ['RAVDESS', join(shared, 'data/ravdess-16k')]]) {
    if (!existsSync(p)) throw new Error(`${what} not found at ${p} (run ./build.sh build; set EMOTION_SHARED)`);
  }
  out.machine = {
    cpus: `${cpus().length} × ${cpus()[0].model}`, chromium: execFileSync(chromiumPath, ['--version'], { encoding: 'utf8' }).trim(), node: process.version,
    playwright: JSON.parse(readFileSync(join(root, 'node_modules/playwright-core/package.json'), 'utf8')).version,
  };
  describeSite();
  const clips = makeClips();
  const port = await freePort();
  const server = spawn(serveBin, ['-dir', site, '-addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const origin = `http://127.0.0.1:${port}`;
  let labServer;
  try {
    for (let deadline = Date.now() + 10_000; ;) {
      try { if ((await fetch(origin + '/')).ok) break; } catch { /* not yet */ }
      if (Date.now() > deadline) throw new Error(`${serveBin} did not start`);
      await sleep(50);
    }
    await benchPage(origin, clips);
    if (LAB !== 'none') {
      const [srv, labOrigin] = await serveLab(makeLab(clips));
      labServer = srv;
      const v = out.lab.variants = {};
      v.default = await labRun(labOrigin, 'default', [], { clips: true, ort: true });
    }
    if (LAB === 'full') {
      const labOrigin = `http://127.0.0.1:${labServer.address().port}`;
      const v = out.lab.variants;
      v.streaming = await labRun(labOrigin, 'streaming', [], { streaming: 'fetch' });
      v.wrapped = await labRun(labOrigin, 'wrapped', [], { streaming: 'wrapped' });
      v.cloned = await labRun(labOrigin, 'cloned', [], { streaming: 'cloned' });
      v.eager = await labRun(labOrigin, 'eager', ['--js-flags=--no-wasm-lazy-compilation'], { streaming: 'fetch' });
      v.liftoff_only = await labRun(labOrigin, 'liftoff', ['--js-flags=--no-wasm-tier-up'], { clips: true });
      // TurboFan only compiles lazily with the optimising compiler: ~35 s
      // of CPU to start, so only on request.
      if (args.includes('-turbofan')) v.turbofan_only = await labRun(labOrigin, 'turbofan', ['--js-flags=--no-liftoff'], { clips: true });
      if (NAMED_WASM) out.lab.profile = await profileStart(labOrigin);
    }
    if (LAB !== 'none') {
      const d = out.lab.variants.default;
      const goWin = (stats(d.classify_30s.times).median - stats(d.classify_3s.times).median) / (d.classify_30s.windows - d.classify_3s.windows);
      const ortWin = stats(d.ort.times).median;
      out.lab.per_window = { go_ms: r1(goWin), ort_ms: Math.round(ortWin * 100) / 100, ratio: r1(goWin / ortWin), ort_session_create_ms: r1(d.ort.create),
        windows_3s: d.classify_3s.windows, windows_30s: d.classify_30s.windows,
        go_3s_times: d.classify_3s.times.map(r1), go_30s_times: d.classify_30s.times.map(r1), ort_times: d.ort.times.map((x) => Math.round(x * 1000) / 1000),
        text: `${r1(goWin)} ms / ${Math.round(ortWin * 100) / 100} ms = ${r1(goWin / ortWin)}× (windows ${d.classify_3s.windows} and ${d.classify_30s.windows}; ort session create ${r1(d.ort.create)} ms)` };
    }
  } finally {
    server.kill();
    labServer?.close();
  }
  out.load_average = { min: Math.min(...loads), max: Math.max(...loads) };
  const md = report();
  out.markdown = md;
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(out, null, 1));
  console.log(md);
  console.error(`JSON: ${OUT}`);
}

try {
  await main();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
