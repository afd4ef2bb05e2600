import { createHash } from 'node:crypto';

/**
 * The console's stylesheet and script, served as same-origin files so its pages run under the
 * app's strict CSP (script-src 'self': no inline script, no CDN). Strings, not files, for the same
 * reason as the answer page's (src/answers/page/answer-page.assets.ts): no asset-copy build step.
 */
export const CONSOLE_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #8a8a8a; --brand: #0b57a4;
  --brand-ink: #fff; --ok: #146c2e; --bad: #a4161a; --bg: #f4f6f8; --card: #fff; --focus: #ffbf47; --bar: #0b57a4; --dim: #5f6b76; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 17px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--brand); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: 4px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
.topbar { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.25rem; padding: .6rem 1rem;
  background: #0a3d73; color: #fff; }
.topbar a { color: #fff; font-weight: 600; text-decoration: none; padding: .35rem .1rem; }
.topbar a[aria-current="page"] { text-decoration: underline; text-underline-offset: .3em; }
.topbar nav { display: flex; gap: 1rem; flex-wrap: wrap; }
.topbar .who { margin-left: auto; font-size: .95rem; }
.topbar form { margin: 0; }
.topbar button { background: transparent; color: #fff; border: 2px solid #fff; min-height: 2.2rem; width: auto; padding: 0 .8rem; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
.card { background: var(--card); border-radius: 10px; padding: 1rem 1.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.15); margin-bottom: 1rem; }
.narrow { max-width: 30rem; margin: 2rem auto; }
.field { display: grid; gap: .25rem; margin-bottom: .9rem; }
.field label, .label { font-weight: 600; }
.hint { color: var(--muted); font-size: .92rem; }
input[type=text], input[type=password], input[type=search], input[type=number], select, textarea {
  font: inherit; padding: .5rem .65rem; border: 2px solid var(--line); border-radius: 8px; width: 100%; background: #fff; color: var(--ink); }
textarea { min-height: 6rem; }
[aria-invalid="true"] { border-color: var(--bad); }
.field-error { color: var(--bad); font-weight: 600; margin: 0; }
button, .button { font: inherit; font-weight: 700; display: inline-flex; align-items: center; justify-content: center;
  min-height: 2.75rem; padding: 0 1.1rem; border: 0; border-radius: 8px; background: var(--brand); color: var(--brand-ink);
  cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: #fff; color: var(--brand); border: 2px solid var(--brand); }
button.danger { background: var(--bad); }
button:disabled { background: #6b7785; cursor: not-allowed; }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; margin: .75rem 0; }
.actions form { margin: 0; }
.error-summary { border-left: 6px solid var(--bad); background: #fdecec; padding: .75rem 1rem; border-radius: 6px; margin-bottom: 1rem; }
.notice { border-left: 6px solid var(--ok); background: #e9f6ec; padding: .75rem 1rem; border-radius: 6px; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; background: var(--card); }
caption { text-align: left; font-weight: 700; padding: .4rem 0; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #d0d5da; vertical-align: top; overflow-wrap: break-word; }
th { background: #eef1f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .85rem; font-weight: 700; background: #e7ebef; }
.badge.ok { background: #dff2e4; color: var(--ok); }
.badge.bad { background: #fbe3e4; color: var(--bad); }
.stats { display: flex; flex-wrap: wrap; gap: .75rem 2rem; margin: .5rem 0 1rem; }
.stat { font-size: 1.05rem; }
.stat strong { font-size: 1.6rem; font-variant-numeric: tabular-nums; display: block; }
.countdown strong { color: var(--ink); }
.countdown.closed strong { color: var(--bad); }
.question-text { font-size: 1.2rem; font-weight: 600; white-space: pre-wrap; overflow-wrap: anywhere; }
fieldset { border: 0; padding: 0; margin: 0 0 .9rem; min-width: 0; }
legend { font-weight: 600; padding: 0; margin-bottom: .25rem; }
.type-fields { border-left: 4px solid var(--line); padding-left: .8rem; }
.type-fields[hidden] { display: none; }
.choice { display: flex; gap: .5rem; align-items: center; min-height: 2.4rem; }
.choice input { width: 1.2rem; height: 1.2rem; }
.chart { width: 100%; height: auto; display: block; }
.chart .bar { fill: var(--bar); }
.chart .track { fill: #e3e8ee; }
.chart .label { fill: var(--ink); font-weight: 700; }
.chart .count { fill: var(--ink); font-weight: 700; font-variant-numeric: tabular-nums; }
.chart-figure.revealed .bar { fill: var(--dim); }
.chart-figure.revealed .bar.correct { fill: var(--ok); }
.chart-figure .mark { display: none; }
.chart-figure.revealed .mark { display: inline; fill: var(--ok); }
.chart .hbar { fill: var(--bar); }
.chart .axis { stroke: var(--line); stroke-width: 2; }
.chart .end { fill: var(--muted); }
.chart-figure.revealed .hbar.correct { fill: var(--ok); }
.chart-figure.chart-ranking.revealed .bar { fill: var(--bar); }
.chart.cloud text { font-weight: 700; }
.chart.cloud .w0 { fill: #0b57a4; } .chart.cloud .w1 { fill: #146c2e; } .chart.cloud .w2 { fill: #a4161a; }
.chart.cloud .w3 { fill: #5b2a86; } .chart.cloud .w4 { fill: #7a4300; } .chart.cloud .w5 { fill: #1a1a1a; }
.chart-note { font-size: 1.1rem; margin: .5rem 0; }
.chart.narrow { display: none; }
@media (max-width: 40rem) { .chart.wide { display: none; } .chart.narrow { display: block; } }
.right-note { color: var(--ok); font-weight: 700; }
.chart-figure { margin: 0; }
.chart-figure table + table { margin-top: 1rem; }
.answer-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.badge.anon { background: #e8e1f5; color: #3d1f66; white-space: normal; border-radius: 8px; padding: .3rem .7rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0,0,0,0); white-space: nowrap; border: 0; }
details summary { cursor: pointer; font-weight: 600; }
.grid2 { display: grid; gap: 1rem; }
@media (min-width: 60rem) { .grid2 { grid-template-columns: 3fr 2fr; } }
@media (max-width: 40rem) { main { padding: .6rem; } .topbar .who { margin-left: 0; } .wide-only { display: none; } }
/* Presenter view: shared in a Zoom meeting at 1280x720, read on a laptop across a room. */
body.presenter { background: #000; color: #fff; font-size: 28px; }
body.presenter main { max-width: none; padding: 2vh 3vw; min-height: 100vh; display: flex; flex-direction: column; }
body.presenter .p-head { display: flex; align-items: flex-start; justify-content: space-between; gap: 2vw; }
body.presenter .p-question { font-size: clamp(28px, 4.4vh, 56px); font-weight: 800; line-height: 1.2; margin: 0 0 2vh; overflow-wrap: anywhere; }
body.presenter .p-timer { font-size: clamp(40px, 9vh, 110px); font-weight: 800; font-variant-numeric: tabular-nums; color: #ffd54a; white-space: nowrap; }
body.presenter .p-timer.closed { color: #ff8a80; font-size: clamp(28px, 5vh, 60px); }
body.presenter .p-meta { font-size: clamp(22px, 3.2vh, 40px); color: #e0e0e0; margin: 0 0 1vh; }
body.presenter .chart .label, body.presenter .chart .count { fill: #fff; }
body.presenter .chart .track { fill: #262626; }
body.presenter .chart .bar { fill: #4da3ff; }
body.presenter .chart-figure.revealed .bar { fill: #5c5c5c; }
body.presenter .chart-figure.revealed .bar.correct { fill: #3ddc84; }
body.presenter .chart-figure.revealed .mark { fill: #3ddc84; }
body.presenter figure { margin: 0; flex: 1; }
body.presenter .chart { max-height: 50vh; }
body.presenter .chart-note { font-size: clamp(20px, 3.2vh, 36px); margin: .5vh 0; }
body.presenter .chart .hbar { fill: #4da3ff; }
body.presenter .chart .axis { stroke: #8a8a8a; }
body.presenter .chart .end, body.presenter .chart-note { fill: #e0e0e0; color: #e0e0e0; }
body.presenter .right-note { color: #3ddc84; }
body.presenter .chart-figure.revealed .hbar.correct { fill: #3ddc84; }
body.presenter .chart-figure.chart-ranking.revealed .bar { fill: #4da3ff; }
body.presenter .chart.cloud .w0 { fill: #7cc0ff; } body.presenter .chart.cloud .w1 { fill: #6fdc8c; }
body.presenter .chart.cloud .w2 { fill: #ff9e97; } body.presenter .chart.cloud .w3 { fill: #d0a8ff; }
body.presenter .chart.cloud .w4 { fill: #ffd54a; } body.presenter .chart.cloud .w5 { fill: #ffffff; }
body.presenter .p-names { font-size: clamp(20px, 3vh, 34px); columns: 2; }
body.presenter .p-foot { display: flex; gap: 1rem; justify-content: flex-end; font-size: 16px; }
body.presenter .p-foot a { color: #cfe3ff; }
@media (prefers-reduced-motion: no-preference) { .chart .bar { transition: width .2s ease-out; } }
`;

/**
 * Progressive enhancement only: the pages and their forms work without it. On a live results
 * page (live room or presenter) it follows the broadcast's live stream (EventSource, same origin,
 * the session cookie) and redraws the server-drawn chart in place, at most once per REDRAW_MS and
 * inside an animation frame, so a burst of answers is a few redraws, the last one with the final
 * counts; it runs the countdown from the server's remaining milliseconds on the monotonic clock;
 * on the live room it also refreshes the parts the stream does not carry (non-responders,
 * leaderboard) by fetching the page again, at most every few seconds. A run's page has no stream
 * of its own: while the run is live it is re-read every few seconds the same way. It also stops a
 * form from being sent twice, and shows only the chosen type's part of the question form.
 */
export const CONSOLE_JS = `
(function () {
  'use strict';
  var REDRAW_MS = 250;
  var REFRESH_MS = 2000;
  var RUN_POLL_MS = 3000;
  // On the document, so forms in a re-read region are guarded too.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || form.tagName !== 'FORM') return;
    if (form.getAttribute('data-submitting') === 'true') { event.preventDefault(); return; }
    form.setAttribute('data-submitting', 'true');
    setTimeout(function () { form.removeAttribute('data-submitting'); }, 5000);
  });
  // Replaces each [data-refresh] region with the same region of a fresh copy of the page, except
  // one the user is in (focus inside); announces a changed [data-run-announce].
  function swapRegions(doc) {
    var regions = document.querySelectorAll('[data-refresh]');
    for (var i = 0; i < regions.length; i++) {
      var name = regions[i].getAttribute('data-refresh');
      var fresh = doc.querySelector('[data-refresh="' + name + '"]');
      if (!fresh || regions[i].contains(document.activeElement)) continue;
      var said = regions[i].getAttribute('data-run-announce');
      var says = fresh.getAttribute('data-run-announce');
      regions[i].replaceWith(document.importNode(fresh, true));
      var live = document.getElementById('live-status');
      if (live && says && said !== says) live.textContent = says;
    }
  }
  // A run's page: re-read every RUN_POLL_MS while the run is live (the copy says so).
  if (document.querySelector('[data-run-poll]')) {
    var poll = function () {
      fetch(location.pathname, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : ''; })
        .then(function (text) {
          if (!text) return true;
          var doc = new DOMParser().parseFromString(text, 'text/html');
          swapRegions(doc);
          document.body.setAttribute('data-polls', String(Number(document.body.getAttribute('data-polls') || 0) + 1));
          return doc.querySelector('[data-run-poll]') !== null;
        })
        .catch(function () { return true; })
        .then(function (more) { if (more) setTimeout(poll, RUN_POLL_MS); });
    };
    setTimeout(poll, RUN_POLL_MS);
  }
  // The question form: only the chosen type's part is shown (without the script every part is,
  // and the server reads only the chosen type's).
  var typeSelect = document.querySelector('[data-question-form] select[name="type"]');
  if (typeSelect) {
    var showType = function () {
      var parts = document.querySelectorAll('[data-question-form] [data-types]');
      for (var p = 0; p < parts.length; p++) {
        var types = parts[p].getAttribute('data-types').split(' ');
        parts[p].hidden = types.indexOf(typeSelect.value) < 0;
      }
    };
    typeSelect.addEventListener('change', showType);
    showType();
  }
  var root = document.querySelector('[data-broadcast-id]');
  if (!root) return;
  var id = root.getAttribute('data-broadcast-id');
  var body = document.body;
  body.setAttribute('data-redraws', '0');
  var loadedAt = performance.now();

  // Countdown: remaining ms as the server measured them, run on the monotonic clock.
  var timer = document.querySelector('[data-countdown]');
  var deadlineAt = null; // performance.now() value of the deadline
  var closed = false;
  var serverOffset = 0; // server time minus performance-clock time
  if (timer) {
    var remaining = Number(timer.getAttribute('data-remaining-ms'));
    var serverNow = Number(timer.getAttribute('data-server-now'));
    if (isFinite(serverNow)) serverOffset = serverNow - loadedAt;
    if (isFinite(remaining) && timer.getAttribute('data-remaining-ms') !== '') deadlineAt = loadedAt + remaining;
    closed = timer.getAttribute('data-closed') === 'true';
  }
  function format(ms) {
    var s = Math.ceil(ms / 1000), m = Math.floor(s / 60);
    s = s % 60;
    return m + ':' + (s < 10 ? '0' : '') + s;
  }
  function tick() {
    if (!timer) return;
    var value = timer.querySelector('[data-countdown-value]');
    if (closed) {
      timer.classList.add('closed');
      if (value) value.textContent = 'Closed';
      return;
    }
    if (deadlineAt === null) { if (value) value.textContent = '…'; setTimeout(tick, 500); return; }
    var left = Math.max(0, deadlineAt - performance.now());
    if (value) value.textContent = left > 0 ? format(left) : 'Time is up';
    if (left <= 0) { timer.classList.add('closed'); return; }
    setTimeout(tick, Math.min(250, left));
  }
  tick();

  // Chart: the latest counts, drawn at most every REDRAW_MS, in an animation frame.
  var figure = document.querySelector('[data-chart]');
  var latest = null, scheduled = false, lastDraw = 0;
  function draw() {
    scheduled = false;
    lastDraw = performance.now();
    var tally = latest;
    if (!tally || !figure) return;
    var width = Number(figure.getAttribute('data-bar-width'));
    var x0 = Number(figure.getAttribute('data-bar-x'));
    for (var i = 0; i < tally.options.length; i++) {
      var o = tally.options[i];
      var share = tally.answered > 0 ? o.count / tally.answered : 0;
      var bar = figure.querySelector('[data-bar="' + i + '"]');
      if (bar) bar.setAttribute('width', String(Math.round(share * width)));
      var count = figure.querySelector('[data-count="' + i + '"]');
      if (count) {
        count.textContent = o.count + ' (' + o.percent + '%)';
        count.setAttribute('x', String(x0 + Math.round(share * width) + 12));
      }
      var cell = figure.querySelector('[data-cell-count="' + i + '"]');
      if (cell) cell.textContent = String(o.count);
      var pct = figure.querySelector('[data-cell-percent="' + i + '"]');
      if (pct) pct.textContent = o.percent + '%';
    }
    var answered = document.querySelectorAll('[data-answered]');
    for (var a = 0; a < answered.length; a++) answered[a].textContent = String(tally.answered);
    body.setAttribute('data-redraws', String(Number(body.getAttribute('data-redraws')) + 1));
    body.setAttribute('data-drawn-answered', String(tally.answered));
  }
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    var wait = Math.max(0, REDRAW_MS - (performance.now() - lastDraw));
    setTimeout(function () { requestAnimationFrame(draw); }, wait);
  }
  function reveal(on) {
    if (figure && on) figure.classList.add('revealed');
  }

  // Live room: re-read the page for what the stream does not carry.
  var refreshing = false, refreshQueued = false, lastRefresh = 0;
  function refresh() {
    var regions = document.querySelectorAll('[data-refresh]');
    if (regions.length === 0) return;
    if (refreshing) { refreshQueued = true; return; }
    var wait = Math.max(0, REFRESH_MS - (performance.now() - lastRefresh));
    refreshing = true;
    setTimeout(function () {
      lastRefresh = performance.now();
      fetch(location.pathname + location.search, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (text) {
          if (text) swapRegions(new DOMParser().parseFromString(text, 'text/html'));
        })
        .catch(function () { /* the next update tries again */ })
        .then(function () {
          refreshing = false;
          if (refreshQueued) { refreshQueued = false; refresh(); }
        });
    }, wait);
  }

  if (!window.EventSource) return;
  var stream = new EventSource('/api/broadcasts/' + encodeURIComponent(id) + '/stream');
  function onCounts(event) {
    latest = JSON.parse(event.data);
    schedule();
    refresh();
  }
  stream.addEventListener('snapshot', onCounts);
  stream.addEventListener('answer', onCounts);
  stream.addEventListener('state', function (event) {
    var state = JSON.parse(event.data);
    if (state.closes_at) deadlineAt = Date.parse(state.closes_at) - serverOffset;
    var wasClosed = closed;
    closed = state.closed_at !== null;
    reveal(state.revealed);
    if (closed !== wasClosed || !closed) tick();
    var live = document.getElementById('live-status');
    if (live && closed && !wasClosed) live.textContent = 'Answers are closed.';
    refresh();
  });
  stream.addEventListener('error', function () {
    // EventSource reconnects by itself; a signed-out session makes it give up (401).
    if (stream.readyState === 2) body.setAttribute('data-stream', 'closed');
  });
  stream.addEventListener('open', function () { body.setAttribute('data-stream', 'open'); });
})();
`;

export const CONSOLE_CSS_PATH = '/console/assets/console.css';
export const CONSOLE_JS_PATH = '/console/assets/console.js';
export const CONSOLE_CSS_VERSION = shortHash(CONSOLE_CSS);
export const CONSOLE_JS_VERSION = shortHash(CONSOLE_JS);

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
