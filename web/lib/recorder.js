// Recorder captures the microphone as Float32 PCM with an AudioWorklet
// (not MediaRecorder: its webm/opus is not something our decoders read).
//
// The AudioContext runs at the device's own rate (44.1 kHz, 48 kHz or
// whatever the browser picks; forcing 16 kHz fails in some browsers when a
// microphone stream is connected), and the recording carries that rate:
// the Go decoder resamples it like any file.

/* global EMOTION_CAPTURE_URL */
// The worklet is its own file (lib/capture-worklet.js, served hashed): a
// strict Content-Security-Policy allows no Blob or data: URL for it.
const captureURL = typeof EMOTION_CAPTURE_URL === 'string' ? new URL(EMOTION_CAPTURE_URL, import.meta.url) : null;

// RecordError is a failure the visitor can act on; code is one of
// 'denied', 'no_microphone', 'busy', 'insecure', 'unsupported', 'failed',
// or 'cancelled' (Stop pressed before the microphone started).
export class RecordError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'RecordError';
    this.code = code;
  }
}

// recordError maps getUserMedia's and Web Audio's DOMExceptions to a RecordError.
export function recordError(err) {
  if (err instanceof RecordError) return err;
  switch (err && err.name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return new RecordError('denied', 'Microphone access was denied. Allow it in the browser’s site settings to record.');
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new RecordError('no_microphone', 'No microphone was found. Connect one and try again.');
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return new RecordError('busy', 'The microphone could not be started; another application may be using it.');
    default:
      return new RecordError('failed', `Recording failed: ${(err && err.message) || err}`);
  }
}

export class Recorder {
  // handlers: level(peak 0..1, seconds), stopped({chunks, rate, seconds, reason})
  // where reason is 'button', 'limit', 'hidden' or 'ended' (the device went away).
  constructor({ maxSeconds = 60, level, stopped } = {}) {
    this.maxSeconds = maxSeconds;
    this.onLevel = level;
    this.onStopped = stopped;
    this.chunks = [];
    this.samples = 0;
    this.state = 'idle'; // 'starting', 'recording', 'stopped'
  }

  // start must be called from a user gesture (a click): Safari only lets
  // an AudioContext run if it is created and resumed inside one, so both
  // happen before the first await.
  async start() {
    if (this.state !== 'idle') throw new Error('a Recorder records once');
    this.state = 'starting';
    const AC = globalThis.AudioContext || globalThis.webkitAudioContext;
    if (!globalThis.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      this.state = 'stopped';
      throw new RecordError('insecure', 'Recording needs a secure page (https or localhost) and a browser with microphone access.');
    }
    if (!AC || !AC.prototype || !('audioWorklet' in AC.prototype) || !captureURL) {
      this.state = 'stopped';
      throw new RecordError('unsupported', 'This browser cannot capture audio for analysis (no AudioWorklet).');
    }
    const ctx = new AC({ latencyHint: 'interactive' });
    this.ctx = ctx;
    const resumed = ctx.resume(); // inside the gesture
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        // The voice as it is: echo cancellation, noise suppression and gain
        // control reshape exactly the prosody the model listens to.
        audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
      await ctx.audioWorklet.addModule(captureURL);
      await resumed;
      if (this.state !== 'starting') throw new RecordError('cancelled', 'Recording was cancelled.');
      this.source = ctx.createMediaStreamSource(this.stream);
      this.node = new AudioWorkletNode(ctx, 'emotion-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
      this.node.port.onmessage = (e) => this.take(e.data);
      this.source.connect(this.node);
      for (const t of this.stream.getAudioTracks()) t.addEventListener('ended', () => this.stop('ended'));
      this.rate = ctx.sampleRate;
      this.state = 'recording';
    } catch (err) {
      this.release();
      this.state = 'stopped';
      throw recordError(err);
    }
  }

  take({ samples, peak }) {
    if (this.state !== 'recording') return;
    const room = Math.round(this.maxSeconds * this.rate) - this.samples;
    const x = samples.length > room ? samples.subarray(0, room) : samples;
    this.chunks.push(x);
    this.samples += x.length;
    this.onLevel?.(peak, this.seconds);
    if (this.samples >= this.maxSeconds * this.rate) this.stop('limit');
  }

  get seconds() { return this.rate ? this.samples / this.rate : 0; }

  // stop ends the recording and keeps what was captured.
  stop(reason = 'button') {
    if (this.state === 'starting') { this.state = 'stopped'; this.release(); return; }
    if (this.state !== 'recording') return;
    this.state = 'stopped';
    this.release();
    this.onStopped?.({ chunks: this.chunks, rate: this.rate, seconds: this.seconds, reason });
  }

  // release stops the microphone (its indicator goes off) and the context.
  release() {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.source?.disconnect();
    if (this.node) this.node.port.onmessage = null;
    this.node?.disconnect();
    if (this.ctx && this.ctx.state !== 'closed') this.ctx.close().catch(() => {});
  }
}
