// wavFloat32 wraps mono Float32 samples, as an AudioWorklet captures them,
// in a 32-bit IEEE float WAV file (format tag 3) at the capture's own rate.
//
// Why a WAV and not a new wasm call taking floats: the recording then takes
// exactly the path of a dropped file (the same decoder, the same resampler
// to the model's rate, the same limits and errors), the float format loses
// nothing, and the card can offer the visitor the very bytes that were
// classified. The price is one copy of 4 bytes per sample in the page.
//
// chunks is an array of Float32Array; rate the AudioContext's sampleRate.
export function wavFloat32(chunks, rate) {
  const n = chunks.reduce((s, c) => s + c.length, 0);
  const data = 4 * n;
  const buf = new ArrayBuffer(44 + data);
  const v = new DataView(buf);
  const text = (off, s) => { for (let i = 0; i < s.length; i++) v.setUint8(off + i, s.charCodeAt(i)); };
  text(0, 'RIFF');
  v.setUint32(4, 36 + data, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true); // fmt chunk size
  v.setUint16(20, 3, true); // WAVE_FORMAT_IEEE_FLOAT
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, rate, true);
  v.setUint32(28, 4 * rate, true); // bytes per second
  v.setUint16(32, 4, true); // block align
  v.setUint16(34, 32, true); // bits per sample
  text(36, 'data');
  v.setUint32(40, data, true);
  // Little-endian floats: a typed-array copy on little-endian hosts (all
  // current browsers), else one by one.
  const out = new Float32Array(buf, 44, n);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) {
    let off = 0;
    for (const c of chunks) { out.set(c, off); off += c.length; }
  } else {
    let off = 44;
    for (const c of chunks) for (const x of c) { v.setFloat32(off, x, true); off += 4; }
  }
  return buf;
}
