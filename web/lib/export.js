// The results on the page as files to download: CSV (one row per clip
// and one per segment of a long clip) and JSON (the records as the
// classifier returned them, in the CLI's `classify -json` structure).
// No DOM here, so node's test runner checks it.

// exportJSON returns the records, newest last, as pretty-printed JSON.
export function exportJSON(records) {
  return JSON.stringify(records, null, 2) + '\n';
}

// csvField quotes a field when it holds a comma, quote or line break,
// and defuses text a spreadsheet would run as a formula.
function csvField(v) {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

// exportCSV returns RFC 4180 CSV: a header, then per record a "clip" row
// (or an "error" row) followed by its "segment" rows. labels fixes the
// probability columns, in the model's order.
export function exportCSV(records, labels) {
  const head = ['file', 'kind', 'start', 'end', 'label', 'confidence', 'error_code', 'error', ...labels.map((l) => `p_${l}`)];
  const rows = [head];
  const probs = (p) => labels.map((l) => (p ? p[l] ?? 0 : null));
  for (const r of records) {
    if (r.error) {
      rows.push([r.file, 'error', null, null, null, null, r.error_code, r.error, ...probs(null)]);
      continue;
    }
    rows.push([r.file, 'clip', r.speech_start, r.speech_end, r.label, r.confidence, null, null, ...probs(r.probabilities)]);
    for (const s of r.segments || []) {
      rows.push([r.file, 'segment', s.start, s.end, s.label, s.probabilities[s.label], null, null, ...probs(s.probabilities)]);
    }
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
