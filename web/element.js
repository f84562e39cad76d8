// <emotion-classifier>: the classifier as one element for other sites.
//
//   <script type="module" src="https://host/emotion-element.js"></script>
//   <emotion-classifier mode="compact"></emotion-classifier>
//
// Attributes:
//   mode="full" (default) | "compact"   full: a bar per emotion; compact: the top one
//   assets="https://cdn.example/emotion/" the folder of the built site, when it is
//                                        not the one this script came from
//   preload                              start loading the classifier (about 4 MB
//                                        download, once, then cached) now, not at the first file
// Events (on the element): result (detail: the `emotion classify -json`
// record) and error (detail: {message, code, file}).
//
// Everything lives in a shadow root; its styles are a constructed
// stylesheet (adoptedStyleSheets), so neither the host's CSS nor its CSP's
// style-src affects it, and none of its rules reach the host page.
//
// Isolation. The worker (started by emotion.js, kept in its module scope)
// gets each clip's bytes and the file name, nothing else, and has no DOM;
// web/test/embed.test.mjs asserts both. The shadow root is open on
// purpose: closing it would hide nothing from the host page, whose scripts
// run in the same realm first and can wrap attachShadow, Blob.arrayBuffer
// or Worker.prototype.postMessage (the test does the last); the visitor's
// audio is only as private as the page they drop it on. Open, the element
// stays testable and its parts styleable (::part).
import { ClassifyError, classify, onProgress, preload, ready, setAssets } from './emotion.js';

const css = `
:host { all: initial; display: block; box-sizing: border-box; contain: content;
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d26;
  background: #fff; border: 1px solid #d3d3de; border-radius: 10px; padding: 14px; max-width: 34rem; }
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: inherit; }
.pick { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.button { font: inherit; font-weight: 600; color: #fff; background: #4a3aa8; border: 0; border-radius: 6px;
  padding: 7px 14px; cursor: pointer; }
.button:focus-visible { outline: 3px solid #f2b01e; outline-offset: 2px; }
.zone { flex: 1; min-width: 10rem; color: #5a5a6e; font-size: 13px; }
:host(.dragging) { border-color: #4a3aa8; background: #f4f2fd; }
input[type=file] { position: absolute; width: 1px; height: 1px; opacity: 0; overflow: hidden; }
.status { margin: 10px 0 0; min-height: 1.4em; color: #5a5a6e; font-size: 13px; }
.status.error { color: #a3152a; }
.result { margin-top: 8px; }
.result[hidden] { display: none; }
.verdict { margin: 0; font-size: 20px; font-weight: 700; }
.verdict .confidence { font-weight: 400; font-size: 14px; color: #5a5a6e; margin-left: 6px; }
.bars { list-style: none; margin: 8px 0 0; padding: 0; display: grid; grid-template-columns: 6.5rem 1fr 3.2rem;
  gap: 3px 8px; align-items: center; font-size: 13px; }
.bars li { display: contents; }
.bars meter { width: 100%; height: 10px; }
.bars .value { text-align: right; font-variant-numeric: tabular-nums; }
:host([mode=compact]) .bars { display: none; }
:host([mode=compact]) { padding: 10px; }
.note { margin: 8px 0 0; font-size: 12px; color: #5a5a6e; }
`;

let sheet = null;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

function el(tag, className, ...children) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  e.append(...children);
  return e;
}

const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const percent = (p) => `${(100 * p).toFixed(1)} %`;

export class EmotionClassifier extends HTMLElement {
  static get observedAttributes() { return ['assets']; }

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [styles()];
    this.input = el('input');
    this.input.type = 'file';
    this.input.accept = 'audio/*,.wav,.mp3';
    this.input.setAttribute('part', 'input');
    this.button = el('button', 'button', 'Choose a clip');
    this.button.type = 'button';
    this.button.setAttribute('part', 'button');
    this.status = el('p', 'status');
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    this.verdict = el('p', 'verdict');
    this.bars = el('ul', 'bars');
    this.result = el('div', 'result', this.verdict, this.bars);
    this.result.hidden = true;
    root.append(
      el('div', 'pick', this.button, el('span', 'zone', 'or drop a WAV or MP3 here'), this.input),
      this.status, this.result,
      el('p', 'note', 'Analysed on this device: the audio is not uploaded.'),
    );
    this.queue = Promise.resolve();
    this.loading = false;
    onProgress(({ loaded, done }) => {
      if (!this.loading) return;
      this.status.textContent = done ? 'Preparing the model…'
        : `Loading the classifier (once; then it is cached)… ${(loaded / 1e6).toFixed(1)} MB`;
    });
    this.button.addEventListener('click', () => this.input.click());
    this.input.addEventListener('change', () => {
      for (const f of this.input.files) this.analyse(f);
      this.input.value = '';
    });
    this.addEventListener('dragover', (e) => { e.preventDefault(); this.classList.add('dragging'); });
    this.addEventListener('dragleave', () => this.classList.remove('dragging'));
    this.addEventListener('drop', (e) => {
      e.preventDefault();
      this.classList.remove('dragging');
      for (const f of e.dataTransfer?.files || []) this.analyse(f);
    });
  }

  connectedCallback() {
    this.applyAssets();
    if (this.hasAttribute('preload')) preload();
  }

  attributeChangedCallback() { this.applyAssets(); }

  applyAssets() {
    const a = this.getAttribute('assets');
    if (a) setAssets(a);
  }

  // analyse classifies one file after those before it.
  analyse(file) {
    this.queue = this.queue.then(() => this.run(file));
    return this.queue;
  }

  async run(file) {
    this.status.classList.remove('error');
    this.status.textContent = ready() ? `Analysing ${file.name}…` : 'Loading the classifier (once; then it is cached)…';
    this.loading = !ready();
    let record;
    try {
      record = await classify(file);
    } catch (err) {
      this.loading = false;
      const detail = { message: err.message || String(err), code: err instanceof ClassifyError ? err.code : 'internal', file: file.name };
      this.status.classList.add('error');
      this.status.textContent = `${file.name}: ${detail.message}`;
      this.dispatchEvent(new CustomEvent('error', { detail, bubbles: true, composed: true }));
      return;
    }
    this.loading = false;
    this.show(record);
    this.status.textContent = `${file.name}: ${capitalise(record.label)}, ${percent(record.confidence)}`;
    this.dispatchEvent(new CustomEvent('result', { detail: record, bubbles: true, composed: true }));
  }

  show(r) {
    this.verdict.replaceChildren(capitalise(r.label), el('span', 'confidence', percent(r.confidence)));
    const rows = Object.entries(r.probabilities).sort((a, b) => b[1] - a[1]).map(([label, p]) => {
      const m = el('meter');
      m.min = 0;
      m.max = 1;
      m.value = p;
      m.setAttribute('aria-label', label);
      return el('li', '', el('span', 'label', capitalise(label)), m, el('span', 'value', percent(p)));
    });
    this.bars.replaceChildren(...rows);
    this.result.hidden = false;
  }
}

if (!customElements.get('emotion-classifier')) customElements.define('emotion-classifier', EmotionClassifier);
