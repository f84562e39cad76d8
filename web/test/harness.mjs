// Shared by the browser tests (browser, record, longclip, embed, offline, badinput, memory):
// the paths from the environment, the real server on a free port, and the
// page's cards. browser.test.mjs documents the variables.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const site = resolve(root, process.env.EMOTION_SITE || 'static');
export const serveBin = resolve(root, process.env.EMOTION_SERVE || 'bin/serve');
export const cliBin = resolve(root, process.env.EMOTION_CLI || 'bin/emotion');
export const shared = resolve(root, process.env.EMOTION_SHARED || '../shared');
export const shots = resolve(root, process.env.EMOTION_SHOTS || 'build/screenshots');
export const ravdess = join(shared, 'data/ravdess-16k');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
export const baseArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const READY_MS = 120_000;

// freePort asks the kernel for a free loopback port.
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// startServer runs bin/serve on dir (static/ by default) with any extra
// args, on port (a free one by default), and resolves {origin, server}
// once it answers.
export async function startServer({ dir = site, args = [], port } = {}) {
  port ??= await freePort();
  const server = spawn(serveBin, ['-dir', dir, '-addr', `127.0.0.1:${port}`, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(origin + '/')).ok) return { origin, server };
    } catch { /* not listening yet */ }
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`${serveBin} did not start on ${origin}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// watch collects a page's console errors, and those of its workers, into errors.
export function watch(page, errors) {
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
}

// card finds a file's card by (part of) its name.
export const card = (page, name) => page.locator('li.card', { has: page.locator('.card-name', { hasText: name }) });

// shown reads what a finished card shows.
export function shown(c) {
  return c.evaluate((el) => ({
    error: el.querySelector('.error-headline')?.textContent ?? null,
    detail: el.querySelector('.error-detail')?.textContent ?? null,
    label: el.querySelector('.verdict-label')?.textContent ?? null,
    bars: el.querySelectorAll('.bar').length,
    meta: el.querySelector('.card-meta').textContent,
    name: el.querySelector('.card-name').textContent,
  }));
}

// rendererRSS sums the resident memory of the Chromium renderer processes
// this test started (descendants of this node process); the browser's own
// UI renderer (--top-chrome-webui) is not the page's.
export function rendererRSS() {
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) || []), Number(d)]);
    } catch { /* exited meanwhile */ }
  }
  let total = 0;
  const stack = [process.pid];
  while (stack.length) {
    const pid = stack.pop();
    stack.push(...(children.get(pid) || []));
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/--type=renderer/.test(cmd) || /--top-chrome-webui/.test(cmd)) continue;
      total += 1024 * Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    } catch { /* exited meanwhile */ }
  }
  return total;
}
