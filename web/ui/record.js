// RecordPanel is the record button with its level meter, elapsed time,
// length limit and messages. A finished recording is handed on as a WAV
// File (see lib/wav.js for why a WAV), named after the time it started.
import { recordError, Recorder } from '../lib/recorder.js';
import { wavFloat32 } from '../lib/wav.js';

const clock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

export class RecordPanel {
  // root holds #record-button, #record-label, #record-time, #record-level,
  // #record-max and #record-status; done(file) receives each recording.
  constructor(root, done) {
    const q = (id) => root.querySelector(`#${id}`);
    this.button = q('record-button');
    this.label = q('record-label');
    this.time = q('record-time');
    this.level = q('record-level');
    this.max = q('record-max');
    this.status = q('record-status');
    this.root = root;
    this.done = done;
    this.recorder = null;
    this.button.addEventListener('click', () => (this.recorder ? this.recorder.stop('button') : this.start()));
    // A hidden page may be frozen or lose the microphone: stop, keep what was captured.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.recorder?.stop('hidden');
    });
  }

  // start runs inside the click (the user gesture an AudioContext needs).
  async start() {
    const maxSeconds = Number(this.max.value) || 60;
    const started = new Date();
    const r = new Recorder({
      maxSeconds,
      level: (peak, s) => this.show(peak, s),
      stopped: (rec) => this.finish(rec, started),
    });
    this.recorder = r;
    this.setState('starting', 'Asking for the microphone…');
    try {
      await r.start();
    } catch (err) {
      if (this.recorder !== r) return;
      this.recorder = null;
      const e = recordError(err);
      if (e.code === 'cancelled') this.setState('idle', e.message);
      else this.setState('error', e.message, e.code);
      return;
    }
    if (this.recorder !== r) return;
    this.setState('recording', `Recording at ${(r.rate / 1000).toFixed(1)} kHz; stops by itself after ${clock(maxSeconds)}.`);
    this.show(0, 0);
  }

  show(peak, s) {
    // Peak in dBFS, -60..0 mapped to the meter's 0..1: speech then fills
    // most of it instead of hugging the left.
    const db = 20 * Math.log10(Math.max(peak, 1e-6));
    this.level.value = Math.min(1, Math.max(0, (db + 60) / 60));
    this.time.textContent = clock(s);
  }

  finish({ chunks, rate, seconds, reason }, started) {
    this.recorder = null;
    const why = {
      button: '', limit: ' (the length limit)', hidden: ' because the page was hidden',
      ended: ' because the microphone went away',
    }[reason] || '';
    if (!seconds) {
      this.setState('error', `Recording stopped${why} before any sound arrived.`, 'empty');
      return;
    }
    this.setState('idle', `Recorded ${seconds.toFixed(1)} s${why}; analysing it below.`);
    const t = started.toTimeString().slice(0, 8).replaceAll(':', '-');
    this.done(new File([wavFloat32(chunks, rate)], `recording-${t}.wav`, { type: 'audio/wav' }));
  }

  setState(state, message, code = '') {
    this.root.dataset.state = state;
    this.root.dataset.error = code;
    const on = state === 'recording' || state === 'starting';
    this.button.setAttribute('aria-pressed', String(on));
    this.label.textContent = on ? 'Stop' : 'Record';
    this.max.disabled = on;
    this.status.textContent = message;
    if (!on) { this.level.value = 0; }
  }
}
