import { createHash } from 'node:crypto';

/**
 * The answer page's stylesheet and script, served as same-origin files so the page runs under
 * the app's strict CSP (script-src 'self': no inline script). Kept as strings here, not as files
 * beside the code, so `nest build` needs no asset-copy step and dist/ is self-contained.
 */
export const ANSWER_PAGE_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #8a8a8a; --brand: #0b57a4;
  --brand-ink: #ffffff; --ok: #146c2e; --bad: #a4161a; --bg: #f4f6f8; --card: #ffffff; --focus: #ffbf47; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 18px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
.card { background: var(--card); border-radius: 12px; padding: 1.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
h2 { font-size: 1.35rem; margin: .5rem 0; }
h1 { font-size: 1.2rem; margin: 0 0 .25rem; color: var(--muted); font-weight: 600; }
.question { font-size: 1.4rem; font-weight: 700; margin: 0 0 1rem; overflow-wrap: anywhere; white-space: pre-wrap; }
.timer { display: flex; align-items: baseline; gap: .5rem; margin: 0 0 1rem; font-weight: 700; }
.timer-value { font-size: 2rem; font-variant-numeric: tabular-nums; }
.timer.urgent .timer-value { color: var(--bad); }
.timer-bar { height: 8px; background: #d9dee3; border-radius: 4px; overflow: hidden; margin: -0.5rem 0 1rem; }
.timer-fill { height: 100%; width: 100%; background: var(--brand); transition: width .25s linear; }
.timer.urgent + .timer-bar .timer-fill { background: var(--bad); }
fieldset { border: 0; margin: 0 0 1rem; padding: 0; min-width: 0; }
legend { font-weight: 700; margin-bottom: .5rem; padding: 0; }
.options { display: grid; gap: .75rem; }
.option { position: relative; display: block; }
.option input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.option span { display: flex; align-items: center; gap: .75rem; min-height: 3.5rem; padding: .75rem 1rem;
  border: 2px solid var(--line); border-radius: 10px; background: var(--card); cursor: pointer; overflow-wrap: anywhere;
  -webkit-tap-highlight-color: transparent; }
.option span::before { content: attr(data-letter); flex: none; display: inline-grid; place-items: center;
  width: 2rem; height: 2rem; border-radius: 50%; background: #e7ebef; font-weight: 700; }
.option input:checked + span { border-color: var(--brand); background: #e8f1fb; box-shadow: inset 0 0 0 2px var(--brand); }
.option input:checked + span::before { background: var(--brand); color: var(--brand-ink); }
.option input:focus-visible + span { outline: 4px solid var(--focus); outline-offset: 2px; }
.option input:disabled + span { opacity: .6; cursor: not-allowed; }
.field { display: grid; gap: .25rem; margin-bottom: .75rem; }
.field label { font-weight: 600; }
.field input { font: inherit; padding: .6rem .75rem; border: 2px solid var(--line); border-radius: 8px; width: 100%; }
.field input:focus-visible { outline: 4px solid var(--focus); outline-offset: 1px; border-color: var(--ink); }
button { font: inherit; font-weight: 700; width: 100%; min-height: 3.25rem; border: 0; border-radius: 10px;
  background: var(--brand); color: var(--brand-ink); cursor: pointer; }
button:focus-visible { outline: 4px solid var(--focus); outline-offset: 2px; }
button:disabled { background: #6b7785; cursor: not-allowed; }
.error { border-left: 6px solid var(--bad); background: #fdecec; padding: .75rem 1rem; border-radius: 6px; margin: 0 0 1rem; }
.result { font-size: 1.3rem; font-weight: 700; }
.result.ok { color: var(--ok); }
.result.bad { color: var(--bad); }
.muted { color: var(--muted); }
.revealed { font-size: 1.2rem; border-left: 6px solid var(--ok); background: #e9f6ec; padding: .75rem 1rem; border-radius: 6px; }
.closed-note { font-weight: 700; color: var(--bad); }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0,0,0,0); white-space: nowrap; border: 0; }
a { color: var(--brand); }
a:focus-visible { outline: 4px solid var(--focus); outline-offset: 2px; }
@media (min-width: 40rem) { main { padding: 2rem 1rem; } .card { padding: 2rem; } }
@media (prefers-reduced-motion: reduce) { .timer-fill { transition: none; } }
`;

/**
 * Progressive enhancement only: the form posts without it. It runs the countdown from the
 * server's remaining milliseconds against the monotonic clock (the phone's wall clock may be
 * wrong), announces the time left at a few moments rather than every second (screen readers),
 * closes the form at zero, and stops a double submission.
 */
export const ANSWER_PAGE_JS = `
(function () {
  'use strict';
  var timer = document.getElementById('timer');
  var form = document.getElementById('answer-form');
  if (form) {
    form.addEventListener('submit', function (event) {
      if (form.getAttribute('data-submitting') === 'true') { event.preventDefault(); return; }
      form.setAttribute('data-submitting', 'true');
      var button = form.querySelector('button[type="submit"]');
      if (button) { setTimeout(function () { button.disabled = true; button.textContent = 'Sending…'; }, 0); }
    });
  }
  if (!timer) return;
  var remaining = Number(timer.getAttribute('data-remaining-ms'));
  var limit = Number(timer.getAttribute('data-time-limit-ms'));
  if (!isFinite(remaining) || !isFinite(limit) || limit <= 0) return;
  var start = performance.now();
  var value = document.getElementById('timer-value');
  var fill = document.getElementById('timer-fill');
  var live = document.getElementById('timer-live');
  var marks = [60, 30, 10, 5];
  var announced = {};
  marks.forEach(function (m) { if (remaining / 1000 <= m) announced[m] = true; });
  function format(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m > 0 ? m + ':' + (s < 10 ? '0' : '') + s : String(s);
  }
  function close() {
    if (form) {
      var fieldsets = form.querySelectorAll('fieldset, button');
      for (var i = 0; i < fieldsets.length; i++) fieldsets[i].disabled = true;
    }
    var note = document.getElementById('closed-note');
    if (note) note.hidden = false;
    if (live) live.textContent = 'Time is up. Answers are closed.';
  }
  function tick() {
    var left = Math.max(0, remaining - (performance.now() - start));
    var seconds = Math.ceil(left / 1000);
    if (value) value.textContent = format(seconds);
    if (fill) fill.style.width = (100 * left / limit).toFixed(2) + '%';
    timer.classList.toggle('urgent', seconds <= 5);
    marks.forEach(function (m) {
      if (!announced[m] && seconds <= m) {
        announced[m] = true;
        if (live && left > 0) live.textContent = seconds + ' seconds left';
      }
    });
    if (left <= 0) { close(); return; }
    setTimeout(tick, Math.min(250, left));
  }
  tick();
})();
`;

/** Content hashes, so pages can link `?v=<hash>` and the files can be cached for a year. */
export const ANSWER_PAGE_CSS_VERSION = shortHash(ANSWER_PAGE_CSS);
export const ANSWER_PAGE_JS_VERSION = shortHash(ANSWER_PAGE_JS);

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
