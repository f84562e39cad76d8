// Pure helpers that turn the classifier's answers into words and numbers
// for the page. No DOM here, so node's test runner checks them
// (web/test/format.test.mjs).

// percent formats a probability in [0, 1] as a whole percentage, keeping
// "<1 %" apart from a true zero so that a tiny bar is not read as none.
export function percent(p) {
  if (!(p > 0)) return '0 %';
  if (p < 0.005) return '<1 %';
  return `${Math.round(100 * p)} %`;
}

// seconds formats a duration: "0.84 s", "12.3 s", "4:05" past a minute.
export function seconds(s) {
  if (!Number.isFinite(s) || s < 0) return '';
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  const r = Math.floor(s - 60 * m);
  return `${m}:${String(r).padStart(2, '0')}`;
}

// bytes formats a file size in B, kB or MB (powers of 1000, as file managers do).
export function bytes(n) {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)} kB`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
}

// capitalise makes a label a heading: "surprised" -> "Surprised".
export function capitalise(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

// ranked lists every label with its probability, most probable first;
// labels keep the model's order when probabilities tie.
export function ranked(labels, probabilities) {
  return labels
    .map((label, i) => ({ label, p: probabilities[label] ?? 0, i }))
    .sort((a, b) => b.p - a.p || a.i - b.i)
    .map(({ label, p }) => ({ label, p }));
}

// Headlines for the wasm API's error codes (dsp/audio, model, wasm/main.go):
// what went wrong in the visitor's terms; the Go message gives the detail.
const headlines = {
  empty: 'This file is empty.',
  not_audio: 'This is not a WAV or MP3 file.',
  truncated: 'This file is cut short.',
  invalid: 'This audio file is damaged.',
  unsupported: 'This kind of WAV or MP3 is not supported.',
  no_samples: 'This file holds no audio.',
  too_large: 'This file is too large.',
  too_long: 'This recording is too long.',
  no_speech: 'No speech found: the recording is silent.',
  too_short: 'Too little speech to tell.',
  read: 'The file could not be read.',
};

// describeError turns an {error, error_code} value into a headline and a
// detail line for an error card.
export function describeError(r) {
  const detail = r && r.error ? String(r.error) : 'unknown error';
  const headline = headlines[r && r.error_code] || 'Something went wrong with this file.';
  return { headline, detail };
}

// progressText describes the classifier's download. A compressed body
// (Content-Encoding) is counted by the reader in decoded bytes while
// Content-Length counts compressed ones, so neither a fraction nor a byte
// count would be true: the bar is then indeterminate.
export function progressText({ loaded, total, encoded, done }) {
  if (done) return { fraction: null, text: 'Preparing the model…' };
  if (encoded) return { fraction: null, text: 'Downloading the classifier…' };
  if (total > 0) {
    const f = Math.min(1, loaded / total);
    return { fraction: f, text: `Downloading the classifier… ${Math.floor(100 * f)} % of ${bytes(total)}` };
  }
  return { fraction: null, text: `Downloading the classifier… ${bytes(loaded)}` };
}

// announcement is what a screen reader hears when a file is done: the
// verdict and the runner-up, or the error's headline.
export function announcement(name, r, labels) {
  if (r.error) return `${name}: ${describeError(r).headline}`;
  const [, second] = ranked(labels, r.probabilities);
  const then = second ? `, then ${second.label} ${percent(second.p)}` : '';
  return `${name}: ${r.label}, ${percent(r.confidence)} confidence${then}.`;
}
