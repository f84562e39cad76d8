// The AudioWorklet processor of lib/recorder.js: it down-mixes the
// microphone to mono and posts the Float32 samples to the page in blocks
// of 2048 (about 43 ms at 48 kHz), with each block's peak for the meter.
// Served as its own file (the site's "capture.js", EMOTION_CAPTURE_URL).
class EmotionCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buf = new Float32Array(2048);
    this.n = 0;
    this.peak = 0;
  }
  process(inputs) {
    const chans = inputs[0];
    if (chans && chans.length) {
      const len = chans[0].length, k = chans.length;
      for (let i = 0; i < len; i++) {
        let x = 0;
        for (let c = 0; c < k; c++) x += chans[c][i];
        x /= k; // down-mix to mono
        this.buf[this.n++] = x;
        const a = x < 0 ? -x : x;
        if (a > this.peak) this.peak = a;
        if (this.n === this.buf.length) {
          this.port.postMessage({ samples: this.buf, peak: this.peak }, [this.buf.buffer]);
          this.buf = new Float32Array(2048);
          this.n = 0;
          this.peak = 0;
        }
      }
    }
    return true;
  }
}
registerProcessor('emotion-capture', EmotionCapture);
