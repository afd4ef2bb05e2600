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
#message h1 { font-size: 1.35rem; margin: .5rem 0; color: var(--ink); font-weight: 700; }
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
.option input[type="checkbox"] + span::before { border-radius: 6px; }
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
.anonymous { border-left: 6px solid var(--brand); background: #e8f1fb; padding: .75rem 1rem; border-radius: 6px; margin: 0 0 1rem; font-weight: 600; }
.result.partly { color: #7a4100; }
.hint { margin: .25rem 0 0; font-size: .95rem; }
.field textarea { font: inherit; padding: .6rem .75rem; border: 2px solid var(--line); border-radius: 8px; width: 100%; resize: vertical; }
.field textarea:focus-visible { outline: 4px solid var(--focus); outline-offset: 1px; border-color: var(--ink); }
.text-meta { display: flex; justify-content: space-between; gap: 1rem; }
.count { text-align: right; font-variant-numeric: tabular-nums; }
.numeric { display: flex; align-items: center; gap: .5rem; }
.numeric input { flex: 1; min-width: 0; }
.unit { font-weight: 700; }
.scale { display: grid; gap: .4rem; }
${scaleColumns()}
.point { position: relative; display: block; }
.point input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.point > span { display: grid; place-items: center; min-height: 3rem; border: 2px solid var(--line); border-radius: 10px;
  background: var(--card); font-weight: 700; cursor: pointer; font-variant-numeric: tabular-nums; -webkit-tap-highlight-color: transparent; }
.point input:checked + span { border-color: var(--brand); background: var(--brand); color: var(--brand-ink); }
.point input:focus-visible + span { outline: 4px solid var(--focus); outline-offset: 2px; }
.point input:disabled + span { opacity: .6; cursor: not-allowed; }
.scale-ends { display: flex; justify-content: space-between; gap: 1rem; margin-top: .35rem; color: var(--muted); font-size: .95rem; }
.scale-ends span:last-child { text-align: right; }
.ranking { list-style: none; counter-reset: rank; margin: .5rem 0 0; padding: 0; display: grid; gap: .5rem; }
.rank-item { counter-increment: rank; display: flex; align-items: center; gap: .75rem; min-height: 3.5rem;
  padding: .4rem .4rem .4rem .75rem; border: 2px solid var(--line); border-radius: 10px; background: var(--card); }
.rank-item::before { content: counter(rank); flex: none; display: inline-grid; place-items: center;
  width: 2rem; height: 2rem; border-radius: 50%; background: #e7ebef; font-weight: 700; }
.rank-text { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.rank-moves { display: flex; gap: .4rem; flex: none; }
button.move { width: 3rem; min-height: 3rem; font-size: 1.3rem; background: #e7ebef; color: var(--ink); border: 2px solid var(--line); }
button.move:disabled { background: #f4f6f8; color: #9aa3ad; border-color: #d9dee3; }
a { color: var(--brand); }
a:focus-visible { outline: 4px solid var(--focus); outline-offset: 2px; }
.run-progress { margin: 0 0 .5rem; font-size: .95rem; font-weight: 700; color: var(--brand); letter-spacing: .02em; }
a.button-link { display: flex; align-items: center; justify-content: center; min-height: 3.25rem; border-radius: 10px;
  background: var(--brand); color: var(--brand-ink); font-weight: 700; text-decoration: none; }
.class-results { margin: 1.25rem 0 1rem; padding-top: 1rem; border-top: 1px solid #d9dee3; }
.result-rows { list-style: none; margin: .5rem 0 0; padding: 0; display: grid; gap: .6rem; }
.result-row { display: grid; grid-template-columns: 1fr auto; gap: .15rem .75rem; align-items: baseline; }
.result-row.right .result-label { font-weight: 700; color: var(--ok); }
.result-label { overflow-wrap: anywhere; }
.result-count { font-variant-numeric: tabular-nums; color: var(--muted); }
.result-row meter { grid-column: 1 / -1; width: 100%; height: .75rem; }
@media (min-width: 40rem) { main { padding: 2rem 1rem; } .card { padding: 2rem; } }
@media (prefers-reduced-motion: reduce) { .timer-fill { transition: none; } }
`;

/**
 * Progressive enhancement only: the form posts without it. It runs the countdown from the
 * server's remaining milliseconds against the monotonic clock (the phone's wall clock may be
 * wrong), announces the time left at a few moments rather than every second (screen readers),
 * closes the form at zero, and stops a double submission. It also moves ranking items in place
 * (the buttons' GET does it without the script), and shows a text answer's character count. One
 * file serves every language: the words it writes come from the page's data- attributes, and its
 * numbers are formatted for the page's `lang`.
 */
export const ANSWER_PAGE_JS = `
(function () {
  'use strict';
  var lang = document.documentElement.lang || 'en';
  var numbers = window.Intl ? new Intl.NumberFormat(lang) : null;
  function number(n) { return numbers ? numbers.format(n) : String(n); }
  // The page's words come in data attributes (one static script serves every language).
  function fill(template, values) {
    return (template || '').replace(/\\{(\\w+)\\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }
  var form = document.getElementById('answer-form');
  if (form) {
    form.addEventListener('submit', function (event) {
      if (event.submitter && event.submitter.name === 'move') return;
      if (form.getAttribute('data-submitting') === 'true') { event.preventDefault(); return; }
      form.setAttribute('data-submitting', 'true');
      var button = document.getElementById('submit-answer');
      var sending = form.getAttribute('data-sending');
      if (button) { setTimeout(function () { button.disabled = true; button.textContent = sending; }, 0); }
    });
  }

  // Ranking: move the item in place (no reload), keep the focus on the moved item's button (its
  // other button when it reached an end) and say where it went.
  var ranking = document.getElementById('ranking');
  var rankLive = document.getElementById('rank-live');
  function refreshMoves() {
    var items = ranking.children;
    for (var i = 0; i < items.length; i++) {
      items[i].querySelector('button[data-direction="up"]').disabled = i === 0;
      items[i].querySelector('button[data-direction="down"]').disabled = i === items.length - 1;
    }
  }
  if (ranking) {
    ranking.addEventListener('click', function (event) {
      var button = event.target.closest ? event.target.closest('button.move') : null;
      if (!button || button.disabled) return;
      event.preventDefault();
      var item = button.closest('li');
      var up = button.getAttribute('data-direction') === 'up';
      var other = up ? item.previousElementSibling : item.nextElementSibling;
      if (!other) return;
      if (up) ranking.insertBefore(item, other); else ranking.insertBefore(other, item);
      refreshMoves();
      var focus = button.disabled
        ? item.querySelector('button[data-direction="' + (up ? 'down' : 'up') + '"]')
        : button;
      focus.focus();
      var position = Array.prototype.indexOf.call(ranking.children, item) + 1;
      if (rankLive) {
        rankLive.textContent = fill(rankLive.getAttribute('data-template'), {
          option: item.querySelector('.rank-text').textContent,
          position: number(position)
        });
      }
    });
  }

  // Text: a visible count on every key; screen readers hear what is left only after a pause,
  // and only near the limit, so typing is not talked over.
  var textarea = document.getElementById('text');
  var count = document.getElementById('text-count');
  var countLive = document.getElementById('text-count-live');
  if (textarea && count) {
    var max = Number(textarea.getAttribute('maxlength'));
    var pause = null;
    var said = null;
    count.hidden = false;
    var showCount = function () {
      count.textContent = fill(count.getAttribute('data-template'), { count: number(textarea.value.length) });
    };
    showCount();
    textarea.addEventListener('input', function () {
      showCount();
      if (pause) clearTimeout(pause);
      pause = setTimeout(function () {
        var left = max - textarea.value.length;
        if (countLive && left <= Math.max(20, max / 5) && left !== said) {
          said = left;
          countLive.textContent = fill(countLive.getAttribute('data-template'), { left: number(left) });
        }
      }, 1000);
    });
  }

  var timer = document.getElementById('timer');
  if (!timer) return;
  var remaining = Number(timer.getAttribute('data-remaining-ms'));
  var limit = Number(timer.getAttribute('data-time-limit-ms'));
  if (!isFinite(remaining) || !isFinite(limit) || limit <= 0) return;
  var start = performance.now();
  var value = document.getElementById('timer-value');
  var fillBar = document.getElementById('timer-fill');
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
      var fieldsets = form.querySelectorAll('fieldset, button, textarea, input');
      for (var i = 0; i < fieldsets.length; i++) fieldsets[i].disabled = true;
    }
    var note = document.getElementById('closed-note');
    if (note) note.hidden = false;
    if (live) live.textContent = live.getAttribute('data-time-up');
  }
  function tick() {
    var left = Math.max(0, remaining - (performance.now() - start));
    var seconds = Math.ceil(left / 1000);
    if (value) value.textContent = format(seconds);
    if (fillBar) fillBar.style.width = (100 * left / limit).toFixed(2) + '%';
    timer.classList.toggle('urgent', seconds <= 5);
    marks.forEach(function (m) {
      if (!announced[m] && seconds <= m) {
        announced[m] = true;
        if (live && left > 0) live.textContent = fill(live.getAttribute('data-seconds-left'), { seconds: number(seconds) });
      }
    });
    if (left <= 0) { close(); return; }
    setTimeout(tick, Math.min(250, left));
  }
  tick();
})();
`;

/**
 * A rating scale of N points (2 to 11) in one row of N equal columns; on a narrow screen a scale
 * of 8 or more breaks into two even rows instead, never leaving one point alone on a second row.
 */
function scaleColumns(): string {
  const rules: string[] = [];
  const narrow: string[] = [];
  for (let n = 2; n <= 11; n++) {
    rules.push(`.scale.points-${n} { grid-template-columns: repeat(${n}, 1fr); }`);
    if (n >= 8) {
      narrow.push(
        `.scale.points-${n} { grid-template-columns: repeat(${Math.ceil(n / 2)}, 1fr); }`,
      );
    }
  }
  return `${rules.join('\n')}\n@media (max-width: 30rem) { ${narrow.join(' ')} }`;
}

/** Content hashes, so pages can link `?v=<hash>` and the files can be cached for a year. */
export const ANSWER_PAGE_CSS_VERSION = shortHash(ANSWER_PAGE_CSS);
export const ANSWER_PAGE_JS_VERSION = shortHash(ANSWER_PAGE_JS);

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
