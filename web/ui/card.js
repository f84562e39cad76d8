// Card is one file's entry in the results list: its name and size, a
// progress state while it waits and is analysed, then either the verdict
// (top emotion, a bar per label, the spectrogram) or what went wrong.
import { bytes, capitalise, describeError, percent, seconds } from '../lib/format.js';
import { Timeline } from './timeline.js';

// el creates an element with a class and optional text or children.
function el(tag, className, ...children) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  e.append(...children);
  return e;
}

// The image channels as the wasm draws them: R, G, B.
const channels = [
  { name: 'log-mel', colour: 'red', swatch: 'swatch-r', about: 'loudness in mel bands, spaced as the ear hears pitch' },
  { name: 'chroma', colour: 'green', swatch: 'swatch-g', about: 'energy in each of the 12 pitch classes (C, C♯, … B), frame by frame' },
  { name: 'log-STFT', colour: 'blue', swatch: 'swatch-b', about: 'loudness at each frequency of the short-time Fourier transform, in the low band (to 2 kHz) where the voice\'s harmonics show' },
];
const allAbout = channels.map((c) => `${c.name} in ${c.colour}`).join(', ');

// A perceptual dark-to-bright scale (inferno's anchors) for one channel alone.
const colourScale = (() => {
  const stops = [[0x00, 0x00, 0x04], [0x42, 0x0a, 0x68], [0x93, 0x26, 0x67], [0xdd, 0x51, 0x3a], [0xfc, 0xa5, 0x0a], [0xfc, 0xff, 0xa4]];
  const lut = new Uint8Array(256 * 3);
  for (let v = 0; v < 256; v++) {
    const x = (v / 255) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x));
    const f = x - i;
    for (let k = 0; k < 3; k++) lut[3 * v + k] = Math.round(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]));
  }
  return lut;
})();

// pixelsFor returns the RGBA pixels to show: all three channels as they
// are, or channel c alone on the colour scale.
function pixelsFor(rgba, c) {
  if (c < 0) return new Uint8ClampedArray(rgba);
  const out = new Uint8ClampedArray(rgba.length);
  for (let i = 0; i < rgba.length; i += 4) {
    const v = 3 * rgba[i + c];
    out[i] = colourScale[v];
    out[i + 1] = colourScale[v + 1];
    out[i + 2] = colourScale[v + 2];
    out[i + 3] = 255;
  }
  return out;
}

// A card far from the viewport gives back its picture's pixels and draws
// them again, from the image it keeps, as it comes near: a drawn 2D canvas
// costs the renderer several times its w×h×4 bytes (backing store and the
// compositor's copies). Over 200 results this took the renderers' growth
// from 0.45-0.58 MB a card to 0.31-0.33 MB (web/test/memory.test.mjs).
// "Near" is within three viewport heights, so scrolling never shows a
// blank picture.
const NEAR = '300% 0px';
const onDistance = new WeakMap(); // canvas -> (near: boolean) => void
let distance = null;

function watchDistance(canvas, f) {
  if (typeof IntersectionObserver === 'undefined') return;
  distance ??= new IntersectionObserver((entries) => {
    for (const e of entries) onDistance.get(e.target)?.(e.isIntersecting);
  }, { rootMargin: NEAR });
  onDistance.set(canvas, f);
  distance.observe(canvas);
}

export class Card {
  constructor(file) {
    this.file = file;
    this.root = el('li', 'card');
    this.root.setAttribute('aria-busy', 'true');
    this.name = el('h2', 'card-name', file.name || 'unnamed file');
    this.meta = el('p', 'card-meta', bytes(file.size));
    this.status = el('p', 'card-status', el('span', 'spinner'), el('span', 'card-status-text', 'Waiting…'));
    this.status.firstChild.setAttribute('aria-hidden', 'true');
    this.body = el('div', 'card-body', this.status);
    this.root.append(el('div', 'card-head', this.name, this.meta), this.body);
  }

  // working shows what is happening now ("Decoding…", ...).
  working(text) {
    this.root.classList.add('is-working');
    this.status.lastChild.textContent = text;
  }

  done() {
    this.root.classList.remove('is-working');
    this.root.removeAttribute('aria-busy');
    this.status.remove();
  }

  setDuration(s) {
    this.meta.textContent = `${seconds(s)} · ${bytes(this.file.size)}`;
  }

  // showImage draws the wasm's image {width, height, rgba, speech_start,
  // speech_end}, with buttons to see each channel alone.
  showImage(img) {
    this.span = [img.speech_start, img.speech_end];
    const canvas = el('canvas', 'spectrogram-canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    canvas.setAttribute('role', 'img');
    const ctx = canvas.getContext('2d');
    const about = el('p', 'legend-about');
    const buttons = [];
    let shown = -1; // the channel shown (-1: all three)
    const draw = () => {
      canvas.width = img.width;
      canvas.height = img.height;
      ctx.putImageData(new ImageData(pixelsFor(img.rgba, shown), img.width, img.height), 0, 0);
    };
    const show = (c) => {
      shown = c;
      draw();
      buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(i - 1 === c)));
      const what = c < 0 ? `all three channels, ${allAbout}` : `${channels[c].name} alone, dark to bright: ${channels[c].about}`;
      about.textContent = c < 0 ? `All three at once: ${allAbout}.` : `${capitalise(channels[c].name)}: ${channels[c].about}.`;
      canvas.setAttribute('aria-label', `Spectrogram of the speech from ${seconds(img.speech_start)} to ` +
        `${seconds(img.speech_end)}, low frequencies at the bottom; ${what}`);
    };
    const legend = el('div', 'legend');
    legend.setAttribute('role', 'group');
    legend.setAttribute('aria-label', 'Channels to show');
    const options = [{ name: 'All three', swatch: 'swatch-all' }, ...channels];
    options.forEach((o, i) => {
      const b = el('button', 'legend-button', el('span', `swatch ${o.swatch}`), o.name);
      b.type = 'button';
      b.addEventListener('click', () => show(i - 1));
      buttons.push(b);
      legend.append(b);
    });
    show(-1);
    watchDistance(canvas, (near) => {
      if (near) {
        if (canvas.width === 0) draw();
      } else {
        canvas.width = 0; // frees the bitmap; the stylesheet sizes the box
        canvas.height = 0;
      }
    });
    this.canvas = canvas;
    const axis = el('div', 'spectrogram-axis', el('span', '', seconds(img.speech_start)),
      el('span', 'axis-mid', 'time → · low pitch at the bottom'), el('span', '', seconds(img.speech_end)));
    axis.setAttribute('aria-hidden', 'true');
    this.axis = axis;
    const caption = el('figcaption', '', el('span', 'figure-title', 'What the model sees'), legend, about);
    this.figure = el('figure', 'spectrogram', canvas, axis, caption);
    this.body.append(this.figure);
    this.root.classList.add('has-image');
  }

  // showResult renders a classify record: the top label, a bar per label
  // (in the model's label order) and, for long clips, the label of each window.
  showResult(r, labels) {
    this.setDuration(r.duration);
    const verdict = el('div', 'verdict',
      el('span', 'verdict-kicker', 'Sounds'),
      el('span', 'verdict-label', capitalise(r.label)),
      el('span', 'verdict-confidence', `${percent(r.confidence)} confidence`));
    const bars = el('ol', 'bars');
    bars.setAttribute('aria-label', 'Probability of each emotion');
    for (const label of labels) {
      const p = r.probabilities[label] ?? 0;
      const fill = el('span', 'bar-fill');
      fill.style.width = `${(100 * p).toFixed(1)}%`;
      const track = el('span', 'bar-track', fill);
      track.setAttribute('aria-hidden', 'true');
      const row = el('li', label === r.label ? 'bar is-top' : 'bar',
        el('span', 'bar-label', capitalise(label)), track, el('span', 'bar-value', percent(p)));
      bars.append(row);
    }
    const scores = el('div', 'scores', verdict, bars);
    if (r.segments && r.segments.length) {
      const list = el('ol', 'segments');
      for (const s of r.segments) {
        list.append(el('li', '', el('span', 'segment-time', `${seconds(s.start)}–${seconds(s.end)}`), ` ${s.label}`));
      }
      scores.append(el('details', 'segments-box',
        el('summary', '', `${r.segments.length} two-second windows, averaged`), list));
      // The timeline goes under the picture, on the same time axis.
      if (this.figure) {
        this.root.classList.add('is-long');
        const t = new Timeline(r.segments, this.span, labels);
        this.canvas.after(t.strip);
        this.axis.after(t.key);
      }
    }
    this.body.prepend(scores);
    this.done();
  }

  // showError replaces the progress state with what went wrong.
  showError(r) {
    const { headline, detail } = describeError(r);
    this.root.classList.add('is-error');
    this.body.prepend(el('div', 'card-error', el('p', 'error-headline', headline), el('p', 'error-detail', detail)));
    this.done();
  }
}
