// registerOffline installs the service worker (sw.js, at the site root) so
// that the page works without a network, and reports a new version:
//
//   registerOffline({ onUpdate(apply) { show a banner whose button calls apply() } })
//
// onUpdate is called once a new build's worker has installed and is
// waiting; apply() lets it take over and reloads the page when it has.
// Returns the registration's promise (null where service workers are
// unavailable: old browsers, or pages not served over https/localhost).
export function registerOffline({ onUpdate } = {}, sw = new URL('sw.js', document.baseURI)) {
  if (!('serviceWorker' in navigator)) return Promise.resolve(null);
  const container = navigator.serviceWorker;
  const announce = (worker) => {
    // With no controller this is the first install, not an update.
    if (!worker || !container.controller || !onUpdate) return;
    onUpdate(() => {
      container.addEventListener('controllerchange', () => location.reload(), { once: true });
      worker.postMessage({ type: 'skip-waiting' });
    });
  };
  return container.register(sw, { scope: './' }).then((reg) => {
    if (reg.waiting) announce(reg.waiting);
    reg.addEventListener('updatefound', () => {
      const worker = reg.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed') announce(worker);
      });
    });
    return reg;
  }, (err) => {
    // Offline use is an extra: the page works without it.
    console.warn(`offline use is unavailable: ${err.message || err}`);
    return null;
  });
}
