// Worker: loads the Go WebAssembly module once and answers requests.
'use strict';
importScripts('wasm_exec.js');

const ready = (async () => {
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch('emotion.wasm'), go.importObject);
  go.run(instance); // registers globalThis.emotion, then parks
})();

ready.then(() => postMessage({ type: 'ready' }),
           (err) => postMessage({ type: 'fatal', message: String(err) }));

onmessage = async (e) => {
  const { type, id, bytes } = e.data;
  await ready;
  let result;
  try {
    result = JSON.parse(globalThis.emotion[type](bytes));
  } catch (err) {
    result = { error: String(err), error_code: 'internal' };
  }
  postMessage({ type: 'result', id, result });
};
