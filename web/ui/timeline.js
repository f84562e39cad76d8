// Timeline is the emotion of each window of a long clip, as a strip of
// coloured blocks laid on the spectrogram's time axis (the trimmed speech,
// speech_start to speech_end), so a block sits under the sound it judged.
// Windows overlap by half; each block covers its window's middle part, from
// halfway to the previous window's centre to halfway to the next one's.
import { capitalise, percent, seconds } from '../lib/format.js';

// A colour per label, distinct in light and dark; unknown labels cycle.
const palette = {
  neutral: '#8e8e93', calm: '#5ac8c8', happy: '#f5b700', sad: '#3a7bd5',
  angry: '#e0453a', fearful: '#8e5bd6', disgust: '#6a8f2a', surprised: '#f07bb4',
};
const spare = ['#b07d48', '#4a9e7f', '#c95f8a', '#7f8cff'];
export const colourOf = (label, i) => palette[label] || spare[i % spare.length];

// blocks returns [{from, to, segment}] in seconds: the shown extent of each
// segment, adjacent and covering [t0, t1].
export function blocks(segments, [t0, t1]) {
  const mid = segments.map((s) => (s.start + s.end) / 2);
  return segments.map((s, i) => ({
    from: i === 0 ? t0 : (mid[i - 1] + mid[i]) / 2,
    to: i === segments.length - 1 ? t1 : (mid[i] + mid[i + 1]) / 2,
    segment: s,
  }));
}

function el(tag, className, ...children) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  e.append(...children);
  return e;
}

// Timeline's strip goes right under the picture and its key, the colours
// it uses, under the time axis.
export class Timeline {
  constructor(segments, span, labels) {
    const [t0, t1] = span;
    const len = Math.max(1e-9, t1 - t0);
    const strip = el('div', 'timeline-strip');
    // One image for assistive technology (the list of windows is in the
    // card's details); each block's title is there for the pointer.
    const counts = labels.map((l) => [l, segments.filter((s) => s.label === l).length]).filter(([, n]) => n)
      .sort((a, b) => b[1] - a[1]).map(([l, n]) => `${l} ${n}`).join(', ');
    strip.setAttribute('role', 'img');
    strip.setAttribute('aria-label', `Emotion over time, ${seconds(t0)} to ${seconds(t1)}, ${segments.length} windows: ${counts}`);
    for (const { from, to, segment: s } of blocks(segments, span)) {
      const b = el('span', 'timeline-block');
      b.style.left = `${(100 * (from - t0)) / len}%`;
      b.style.width = `${(100 * (to - from)) / len}%`;
      b.style.background = colourOf(s.label, labels.indexOf(s.label));
      b.dataset.label = s.label;
      const what = `${seconds(s.start)}–${seconds(s.end)}: ${s.label}, ${percent(s.probabilities[s.label])}`;
      b.title = what;
      strip.append(b);
    }
    const seen = labels.filter((l) => segments.some((s) => s.label === l));
    const key = el('ul', 'timeline-key');
    key.setAttribute('aria-label', 'Colours');
    for (const l of seen) {
      const sw = el('span', 'swatch');
      sw.style.background = colourOf(l, labels.indexOf(l));
      key.append(el('li', '', sw, capitalise(l)));
    }
    this.strip = strip;
    this.key = key;
  }
}
