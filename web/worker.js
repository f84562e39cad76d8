// Worker: loads the Go WebAssembly module once and answers requests.
'use strict';
importScripts('wasm_exec.js');

const ready = (async () => {
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch('emotion.wasm'), go.importObject);
  go.run(instance); // registers globalThis.emotion (model loaded and warmed up), then parks
  if (globalThis.emotion.loadError) throw new Error(globalThis.emotion.loadError);
  return JSON.parse(globalThis.emotion.labels);
})();

ready.then((labels) => postMessage({ type: 'ready', labels }),
           (err) => postMessage({ type: 'fatal', message: String(err) }));

onmessage = async (e) => {
  const { type, id, bytes } = e.data;
  try { await ready; } catch { return; } // 'fatal' already told the page
  let result;
  try {
    result = JSON.parse(globalThis.emotion[type](bytes));
  } catch (err) {
    result = { error: String(err), error_code: 'internal' };
  }
  postMessage({ type: 'result', id, result });
};
