// Client is the page's side of the worker protocol (see worker.js): it
// numbers requests, resolves each with its answer, and replaces a worker
// whose classifier stopped so that the page keeps working.

export class Client {
  // create() returns a new Worker-like object (postMessage, onmessage,
  // onerror, terminate). The handlers are optional:
  //   progress({loaded, total, encoded})  download progress
  //   ready({labels, timings, kernels})   the classifier is ready
  //   failed(message, {restarting})       the classifier failed; when it had
  //                                       been ready a new worker is started
  constructor(create, handlers = {}) {
    this.create = create;
    this.handlers = handlers;
    this.pending = new Map(); // id -> resolve
    this.onWindow = new Map(); // id -> callback for the 'window' messages of a classify
    this.onImage = new Map(); // id -> callback for the 'image' message of a classify
    this.nextId = 1;
    this.labels = null;
    this.loadError = null;
    this.memory = 0; // bytes of the wasm's memory after the last answer
    this.start();
  }

  start() {
    const w = this.create();
    this.worker = w;
    w.onmessage = (e) => this.receive(w, e.data);
    w.onerror = (e) => {
      if (e && e.preventDefault) e.preventDefault();
      this.fail(w, `the classifier's worker failed: ${(e && e.message) || 'unknown error'}`);
    };
  }

  receive(w, m) {
    if (w !== this.worker) return; // a replaced worker's last words
    switch (m.type) {
      case 'progress': this.handlers.progress?.(m); break;
      case 'ready':
        this.labels = m.labels;
        this.handlers.ready?.(m);
        break;
      case 'window': this.onWindow.get(m.id)?.(m); break;
      case 'image': this.onImage.get(m.id)?.(m.image); break;
      case 'result': {
        if (m.memory) this.memory = m.memory;
        const resolve = this.pending.get(m.id);
        this.pending.delete(m.id);
        this.onWindow.delete(m.id);
        this.onImage.delete(m.id);
        resolve?.(m.result);
        break;
      }
      case 'fatal': this.fail(w, m.message); break;
    }
  }

  // fail answers every pending request with an error and, if the worker
  // had been ready, starts a new one; otherwise loading failed for good.
  fail(w, message) {
    if (w !== this.worker) return;
    const restarting = this.labels !== null;
    for (const resolve of this.pending.values()) resolve({ error: message, error_code: 'internal' });
    this.pending.clear();
    this.onWindow.clear();
    this.onImage.clear();
    w.terminate();
    if (restarting) {
      this.labels = null;
      this.start();
    } else {
      this.loadError = message;
      this.worker = null;
    }
    this.handlers.failed?.(message, { restarting });
  }

  // request sends bytes (an ArrayBuffer, transferred: it is detached
  // afterwards) for 'classify' or 'image' and resolves with the wasm API's
  // value: the result, or {error, error_code}. It never rejects. For
  // 'classify', onWindow({done, total, segment}) is called after every model
  // window (segment is null for a one-window clip), and with
  // options.image_width, onImage(picture) once, before the model runs.
  request(type, bytes, options, onWindow, onImage) {
    if (!this.worker) {
      return Promise.resolve({ error: `the classifier is not available: ${this.loadError}`, error_code: 'unavailable' });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      if (onWindow) this.onWindow.set(id, onWindow);
      if (onImage) this.onImage.set(id, onImage);
      this.worker.postMessage({ type, id, bytes, options }, [bytes]);
    });
  }
}
