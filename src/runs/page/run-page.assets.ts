import { createHash } from 'node:crypto';

export const RUN_PAGE_JS_PATH = '/assets/run-page.js';

/**
 * The run page's script (progressive enhancement: every screen works without it, by reloading).
 * It follows the run: `GET /r/{token}/events` (SSE) sends a `state` event whenever the run's
 * version changes, and the page reloads when that version differs from the one it was rendered
 * at; without EventSource, or once the stream fails, it polls `GET /r/{token}/state` every 2 s
 * instead. `data-reload-ms` reloads the page once a deadline this screen waits for has passed
 * (the question's time, the results shown at the deadline). A reload never interrupts an answer
 * being sent. Served same-origin (the CSP allows no inline script).
 */
export const RUN_PAGE_JS = `
(function () {
  'use strict';
  var main = document.querySelector('main[data-run-version]');
  if (!main) return;
  var version = main.getAttribute('data-run-version');
  var stateUrl = main.getAttribute('data-run-state');
  var eventsUrl = main.getAttribute('data-run-events');
  // The run page itself: also after a form post (at /r/{token}/answer) or a ranking move (?move=).
  var pageUrl = main.getAttribute('data-run-page') || window.location.pathname;
  var reloadMs = Number(main.getAttribute('data-reload-ms'));
  var reloading = false;
  function reload() {
    if (reloading) return;
    var form = document.getElementById('answer-form');
    if (form && form.getAttribute('data-submitting') === 'true') return;
    reloading = true;
    window.location.replace(pageUrl);
  }
  function seen(next) {
    if (next !== undefined && next !== null && String(next) !== version) reload();
  }
  if (main.hasAttribute('data-reload-ms') && isFinite(reloadMs)) {
    setTimeout(reload, Math.min(reloadMs, 2147483647));
  }
  var polling = null;
  function poll() {
    if (polling) return;
    polling = setInterval(function () {
      var request = new XMLHttpRequest();
      request.open('GET', stateUrl);
      request.setRequestHeader('Accept', 'application/json');
      request.onload = function () {
        if (request.status !== 200) return;
        try { seen(JSON.parse(request.responseText).version); } catch (e) { /* next poll */ }
      };
      request.send();
    }, 2000);
  }
  if (!window.EventSource || !eventsUrl) { poll(); return; }
  var source = new EventSource(eventsUrl);
  source.addEventListener('state', function (event) {
    try { seen(JSON.parse(event.data).version); } catch (e) { /* ignored */ }
  });
  source.onerror = function () {
    // A failed or dropped stream: poll instead (and stop the browser's own reconnecting).
    source.close();
    poll();
  };
})();
`;

/** A content hash, so the page can link `?v=<hash>` and the file be cached for a year. */
export const RUN_PAGE_JS_VERSION = createHash('sha256')
  .update(RUN_PAGE_JS)
  .digest('hex')
  .slice(0, 12);
