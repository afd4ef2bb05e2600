import type { Actor } from '../../common/auth/actor';
import { html, type HtmlValue, type SafeHtml } from '../../common/html/html';
import { withTypeDefaults, isScored } from '../../question-types/question-types';
import type { ResultsQuestionDto } from '../../results/dto/results.response';
import type { RunResponseDto } from '../../runs/dto/run.response';
import { renderChart, type ChartTally } from './chart';
import {
  CONSOLE_CSS_PATH,
  CONSOLE_CSS_VERSION,
  CONSOLE_JS_PATH,
  CONSOLE_JS_VERSION,
} from './console.assets';

export type Section = 'questions' | 'meetings';

interface LayoutOptions {
  /** The session's CSRF token: in the meta tag for scripts and in every form. */
  csrf: string;
  actor?: Actor;
  section?: Section;
  bodyClass?: string;
}

function layout(title: string, body: SafeHtml, options: LayoutOptions): string {
  const { actor, section } = options;
  const nav = actor
    ? html`<header class="topbar">
        <nav aria-label="Console">
          <a href="/console/questions" ${section === 'questions' ? html`aria-current="page"` : null}
            >Question bank</a
          >
          <a href="/console/meetings" ${section === 'meetings' ? html`aria-current="page"` : null}
            >Meetings</a
          >
        </nav>
        <span class="who">Signed in: ${actor.name} (${actor.role})</span>
        <form method="post" action="/console/logout">
          ${csrfField(options.csrf)}
          <button type="submit">Sign out</button>
        </form>
      </header>`
    : null;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="csrf-token" content="${options.csrf}" />
        <link rel="icon" href="data:," />
        <title>${title} · Live Questions console</title>
        <link rel="stylesheet" href="${CONSOLE_CSS_PATH}?v=${CONSOLE_CSS_VERSION}" />
        <script src="${CONSOLE_JS_PATH}?v=${CONSOLE_JS_VERSION}" defer></script>
      </head>
      <body class="${options.bodyClass ?? ''}">
        <a class="skip" href="#main">Skip to content</a>
        ${nav}
        <main id="main">${body}</main>
      </body>
    </html>`.value;
}

export const csrfField = (token: string): SafeHtml =>
  html`<input type="hidden" name="_csrf" value="${token}" />`;

function notice(text: string | null): HtmlValue {
  return text ? html`<p class="notice" role="status">${text}</p>` : null;
}

// ---------------------------------------------------------------- sign-in and messages

export function renderSignIn(input: { csrf: string; error?: string; next?: string }): string {
  return layout(
    'Sign in',
    html`<div class="card narrow">
      <h1>Live Questions console</h1>
      ${input.error ? html`<p class="error-summary" role="alert">${input.error}</p>` : null}
      <form method="post" action="/console/session">
        ${csrfField(input.csrf)}
        ${input.next ? html`<input type="hidden" name="next" value="${input.next}" />` : null}
        <div class="field">
          <label for="api_key">API key</label>
          <input
            id="api_key"
            name="api_key"
            type="password"
            required
            autocomplete="off"
            spellcheck="false"
            aria-describedby="api_key_hint"
          />
          <p class="hint" id="api_key_hint">
            The key is checked once and not kept in this browser: a session cookie is.
          </p>
        </div>
        <button type="submit">Sign in</button>
      </form>
    </div>`,
    { csrf: input.csrf },
  );
}

export function renderMessage(input: {
  csrf: string;
  actor?: Actor;
  title: string;
  message: string;
  back?: { href: string; text: string };
}): string {
  return layout(
    input.title,
    html`<div class="card narrow">
      <h1>${input.title}</h1>
      <p>${input.message}</p>
      ${input.back ? html`<p><a href="${input.back.href}">${input.back.text}</a></p>` : null}
    </div>`,
    { csrf: input.csrf, actor: input.actor },
  );
}

// ---------------------------------------------------------------- question bank

export interface QuestionRow {
  id: string;
  title: string;
  question_text: string;
  /** The type's name in words ("Multiple choice"). */
  kind: string;
  /** What participants choose from or give, in words ("A. Berlin, B. Paris", "1 to 5"). */
  asks: string;
  /** The right answer in words, or null for a survey (no right answer). */
  right: string | null;
  time_limit: number;
  points: number;
  category: string;
}

export function renderQuestions(input: {
  csrf: string;
  actor: Actor;
  items: QuestionRow[];
  total: number;
  q: string;
  page: number;
  pages: number;
  notice: string | null;
}): string {
  const rows = input.items.map(
    (q) =>
      html`<tr>
        <td>
          <strong>${q.title}</strong>
          <div class="muted">${q.question_text}</div>
        </td>
        <td>${q.kind}</td>
        <td>${q.asks}</td>
        <td>${q.right === null ? html`<span class="muted">Survey</span>` : q.right}</td>
        <td class="num">${q.time_limit} s</td>
        <td>
          <a href="/console/questions/${q.id}/edit">Edit<span class="sr-only"> ${q.title}</span></a>
          ·
          <a href="/console/questions/${q.id}/delete"
            >Delete<span class="sr-only"> ${q.title}</span></a
          >
        </td>
      </tr>`,
  );
  const pageLink = (page: number, text: string) =>
    html`<a
      href="/console/questions?${new URLSearchParams({
        ...(input.q ? { q: input.q } : {}),
        page: String(page),
      }).toString()}"
      >${text}</a
    >`;
  return layout(
    'Question bank',
    html`<h1>Question bank</h1>
      ${notice(input.notice)}
      <div class="actions">
        <form method="get" action="/console/questions" role="search" class="actions">
          <label for="q" class="label">Search questions</label>
          <input id="q" name="q" type="search" value="${input.q}" maxlength="100" />
          <button type="submit" class="secondary">Search</button>
        </form>
        <a class="button" href="/console/questions/new">New question</a>
      </div>
      <p class="muted" role="status">
        ${input.total}
        question${input.total === 1 ? '' : 's'}${input.q ? ` matching “${input.q}”` : ''}
      </p>
      ${
        input.items.length > 0
          ? html`<div class="table-wrap">
              <table>
                <caption class="sr-only">
                  Questions, newest first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Question</th>
                    <th scope="col">Type</th>
                    <th scope="col">Options or answer</th>
                    <th scope="col">Right answer</th>
                    <th scope="col" class="num">Time</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
            </div>`
          : html`<p>No questions yet. <a href="/console/questions/new">Create one</a>.</p>`
      }
      ${
        input.pages > 1
          ? html`<nav aria-label="Pages" class="actions">
              ${input.page > 1 ? pageLink(input.page - 1, 'Previous page') : null}
              <span>Page ${input.page} of ${input.pages}</span>
              ${input.page < input.pages ? pageLink(input.page + 1, 'Next page') : null}
            </nav>`
          : null
      }`,
    { csrf: input.csrf, actor: input.actor, section: 'questions' },
  );
}

/** The question form's fields as typed (strings), so a refused form comes back as it was. */
export interface QuestionFormValues {
  type: string;
  title: string;
  question_text: string;
  options: string;
  correct_answer: string;
  correct_answers: string;
  max_choices: string;
  true_false: string;
  scale_min: string;
  scale_max: string;
  min_label: string;
  max_label: string;
  correct_value: string;
  tolerance: string;
  unit: string;
  accepted_answers: string;
  max_length: string;
  correct_order: string;
  time_limit: string;
  points: string;
  difficulty: string;
  category: string;
  tags: string;
}

export const EMPTY_QUESTION_FORM: QuestionFormValues = {
  type: 'single',
  title: '',
  question_text: '',
  options: '',
  correct_answer: '',
  correct_answers: '',
  max_choices: '',
  true_false: '',
  scale_min: '1',
  scale_max: '5',
  min_label: '',
  max_label: '',
  correct_value: '',
  tolerance: '',
  unit: '',
  accepted_answers: '',
  max_length: '200',
  correct_order: '',
  time_limit: '30',
  points: '100',
  difficulty: 'medium',
  category: 'general',
  tags: '',
};

/** Each question type as the form names it. */
export const QUESTION_KINDS: Record<string, string> = {
  single: 'Single choice',
  multiple: 'Multiple choice',
  true_false: 'True or false',
  rating: 'Rating scale',
  numeric: 'Number',
  text: 'Short text',
  ranking: 'Ranking',
};

export const FORM_FIELDS: Array<{ name: keyof QuestionFormValues; label: string }> = [
  { name: 'type', label: 'Type of question' },
  { name: 'title', label: 'Title' },
  { name: 'question_text', label: 'Question' },
  { name: 'options', label: 'Options' },
  { name: 'correct_answer', label: 'Right answer' },
  { name: 'correct_answers', label: 'Correct choices' },
  { name: 'max_choices', label: 'Most choices per answer' },
  { name: 'true_false', label: 'The statement is' },
  { name: 'scale_min', label: 'Lowest rating' },
  { name: 'scale_max', label: 'Highest rating' },
  { name: 'min_label', label: 'Label of the lowest rating' },
  { name: 'max_label', label: 'Label of the highest rating' },
  { name: 'correct_value', label: 'Right number' },
  { name: 'tolerance', label: 'Tolerance' },
  { name: 'unit', label: 'Unit' },
  { name: 'accepted_answers', label: 'Accepted answers' },
  { name: 'max_length', label: 'Longest answer' },
  { name: 'correct_order', label: 'Right order' },
  { name: 'time_limit', label: 'Time to answer' },
  { name: 'points', label: 'Points' },
  { name: 'difficulty', label: 'Difficulty' },
  { name: 'category', label: 'Category' },
  { name: 'tags', label: 'Tags' },
];

export function renderQuestionForm(input: {
  csrf: string;
  actor: Actor;
  id: string | null;
  values: QuestionFormValues;
  errors: Partial<Record<keyof QuestionFormValues, string[]>>;
  difficulties: readonly string[];
}): string {
  const { values, errors } = input;
  const errorOf = (name: keyof QuestionFormValues) => errors[name];
  const described = (name: keyof QuestionFormValues, hint?: boolean): SafeHtml => {
    const ids = [hint ? `${name}_hint` : '', errorOf(name) ? `${name}_error` : '']
      .filter(Boolean)
      .join(' ');
    return html`${ids ? html` aria-describedby="${ids}"` : null}${
      errorOf(name) ? html` aria-invalid="true"` : null
    }`;
  };
  const errorText = (name: keyof QuestionFormValues): HtmlValue =>
    errorOf(name)
      ? html`<p class="field-error" id="${name}_error">${(errorOf(name) ?? []).join('; ')}</p>`
      : null;
  /** A one-line text or number field, with an optional hint. */
  const line = (
    name: keyof QuestionFormValues,
    label: string,
    options: { hint?: string; number?: { min: number; max: number }; decimal?: boolean } = {},
  ): SafeHtml =>
    html`<div class="field">
      <label for="${name}">${label}</label>
      ${options.hint ? html`<p class="hint" id="${name}_hint">${options.hint}</p>` : null}
      ${errorText(name)}
      <input
        id="${name}"
        name="${name}"
        ${
          options.number
            ? html`type="number" min="${options.number.min}" max="${options.number.max}"`
            : html`type="text"`
        }
        ${options.decimal ? html`inputmode="decimal"` : null}
        value="${values[name]}"
        ${described(name, options.hint !== undefined)}
      />
    </div>`;
  /**
   * The fields of some types: all are shown without JavaScript (only the chosen type's are read
   * when saving); the console script hides those of the other types.
   */
  const typeFields = (types: string[], legend: string, body: SafeHtml): SafeHtml =>
    html`<fieldset class="type-fields" data-types="${types.join(' ')}">
      <legend>${legend}</legend>
      ${body}
    </fieldset>`;
  const summary = FORM_FIELDS.filter((f) => errorOf(f.name));
  const title = input.id ? 'Edit question' : 'New question';
  return layout(
    title,
    html`<h1>${title}</h1>
      ${
        summary.length > 0
          ? html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
              <h2>The question was not saved</h2>
              <ul>
                ${summary.map(
                  (f) =>
                    html`<li>
                      <a href="#${f.name}">${f.label}: ${(errorOf(f.name) ?? []).join('; ')}</a>
                    </li>`,
                )}
              </ul>
            </div>`
          : null
      }
      <form
        class="card"
        method="post"
        action="${input.id ? `/console/questions/${input.id}` : '/console/questions'}"
        novalidate
        data-question-form
      >
        ${csrfField(input.csrf)}
        <div class="field">
          <label for="type">Type of question</label>
          <p class="hint" id="type_hint">
            Then fill in the part for that type below; the other parts are ignored.
          </p>
          ${errorText('type')}
          <select id="type" name="type" ${described('type', true)}>
            ${Object.entries(QUESTION_KINDS).map(
              ([value, label]) =>
                html`<option value="${value}" ${values.type === value ? html`selected` : null}>
                  ${label}
                </option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="title">Title</label>
          ${errorText('title')}
          <input
            id="title"
            name="title"
            type="text"
            value="${values.title}"
            ${described('title')}
          />
        </div>
        <div class="field">
          <label for="question_text">Question</label>
          ${errorText('question_text')}
          <textarea id="question_text" name="question_text" ${described('question_text')}>
${values.question_text}</textarea>
        </div>
        ${typeFields(
          ['single', 'multiple', 'ranking'],
          'Options (single choice, multiple choice, ranking)',
          html`<div class="field">
            <label for="options">Options</label>
            <p class="hint" id="options_hint">One option per line, 2 to 10 options.</p>
            ${errorText('options')}
            <textarea id="options" name="options" ${described('options', true)}>
${values.options}</textarea>
          </div>`,
        )}
        ${typeFields(
          ['single'],
          'Single choice',
          line('correct_answer', 'Right answer', {
            hint: 'The number of the right option (1 for the first line); leave empty for a survey.',
            number: { min: 1, max: 10 },
          }),
        )}
        ${typeFields(
          ['multiple'],
          'Multiple choice',
          html`${line('correct_answers', 'Correct choices', {
            hint: 'The numbers of every right option, separated by commas (e.g. 1, 3); leave empty for a survey.',
          })}
          ${line('max_choices', 'Most choices per answer', {
            hint: 'Leave empty for any number.',
            number: { min: 1, max: 10 },
          })}`,
        )}
        ${typeFields(
          ['true_false'],
          'True or false',
          html`<div class="field">
            <label for="true_false">The statement is</label>
            ${errorText('true_false')}
            <select id="true_false" name="true_false" ${described('true_false')}>
              ${[
                ['', 'No right answer (a survey)'],
                ['true', 'True'],
                ['false', 'False'],
              ].map(
                ([value, label]) =>
                  html`<option
                    value="${value}"
                    ${values.true_false === value ? html`selected` : null}
                  >
                    ${label}
                  </option>`,
              )}
            </select>
          </div>`,
        )}
        ${typeFields(
          ['rating'],
          'Rating scale',
          html`${line('scale_min', 'Lowest rating', { number: { min: -100, max: 100 } })}
          ${line('scale_max', 'Highest rating', {
            hint: '2 to 11 points from the lowest to the highest.',
            number: { min: -100, max: 100 },
          })}
          ${line('min_label', 'Label of the lowest rating', { hint: 'Optional, e.g. “Not at all”.' })}
          ${line('max_label', 'Label of the highest rating', { hint: 'Optional, e.g. “Very much”.' })}`,
        )}
        ${typeFields(
          ['numeric'],
          'Number',
          html`${line('correct_value', 'Right number', {
            hint: 'Leave empty for a survey.',
            decimal: true,
          })}
          ${line('tolerance', 'Tolerance', {
            hint: 'How far from the right number an answer may be and still be right; empty for exactly.',
            decimal: true,
          })}
          ${line('unit', 'Unit', { hint: 'Optional, e.g. km.' })}`,
        )}
        ${typeFields(
          ['text'],
          'Short text',
          html`<div class="field">
              <label for="accepted_answers">Accepted answers</label>
              <p class="hint" id="accepted_answers_hint">
                One per line; case, accents and spaces do not matter. Leave empty for a survey (a
                word cloud).
              </p>
              ${errorText('accepted_answers')}
              <textarea
                id="accepted_answers"
                name="accepted_answers"
                ${described('accepted_answers', true)}
              >
${values.accepted_answers}</textarea>
            </div>
            ${line('max_length', 'Longest answer (characters)', { number: { min: 1, max: 500 } })}`,
        )}
        ${typeFields(
          ['ranking'],
          'Ranking',
          line('correct_order', 'Right order', {
            hint: 'The option numbers from top to bottom, separated by commas (e.g. 3, 1, 2); leave empty for a survey.',
          }),
        )}
        <div class="field">
          <label for="time_limit">Time to answer (seconds)</label>
          ${errorText('time_limit')}
          <input
            id="time_limit"
            name="time_limit"
            type="number"
            min="5"
            max="3600"
            value="${values.time_limit}"
            ${described('time_limit')}
          />
        </div>
        <div class="field">
          <label for="points">Points</label>
          ${errorText('points')}
          <input
            id="points"
            name="points"
            type="number"
            min="0"
            max="1000"
            value="${values.points}"
            ${described('points')}
          />
        </div>
        <div class="field">
          <label for="difficulty">Difficulty</label>
          ${errorText('difficulty')}
          <select id="difficulty" name="difficulty" ${described('difficulty')}>
            ${input.difficulties.map(
              (d) =>
                html`<option value="${d}" ${values.difficulty === d ? html`selected` : null}>
                  ${d}
                </option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="category">Category</label>
          ${errorText('category')}
          <input
            id="category"
            name="category"
            type="text"
            value="${values.category}"
            ${described('category')}
          />
        </div>
        <div class="field">
          <label for="tags">Tags</label>
          <p class="hint" id="tags_hint">Separated by commas.</p>
          ${errorText('tags')}
          <input
            id="tags"
            name="tags"
            type="text"
            value="${values.tags}"
            ${described('tags', true)}
          />
        </div>
        <div class="actions">
          <button type="submit">${input.id ? 'Save changes' : 'Create question'}</button>
          <a href="/console/questions">Cancel</a>
        </div>
      </form>`,
    { csrf: input.csrf, actor: input.actor, section: 'questions' },
  );
}

export function renderDeleteQuestion(input: {
  csrf: string;
  actor: Actor;
  question: QuestionRow;
}): string {
  const q = input.question;
  return layout(
    'Delete question',
    html`<div class="card narrow">
      <h1>Delete “${q.title}”?</h1>
      <p class="question-text">${q.question_text}</p>
      <p>
        It leaves the bank for good. Questions already sent keep their own copy, so their results do
        not change.
      </p>
      <form method="post" action="/console/questions/${q.id}/delete" class="actions">
        ${csrfField(input.csrf)}
        <button type="submit" class="danger">Delete question</button>
        <a href="/console/questions">Keep it</a>
      </form>
    </div>`,
    { csrf: input.csrf, actor: input.actor, section: 'questions' },
  );
}

// ---------------------------------------------------------------- meetings and the live room

export interface MeetingRow {
  meeting_id: string;
  topic: string | null;
  ended: boolean;
  present: number;
  reachable: number;
  unreachable: Array<{ reason: string; count: number }>;
}

export function renderMeetings(input: { csrf: string; actor: Actor; items: MeetingRow[] }): string {
  const rows = input.items.map(
    (m) =>
      html`<tr>
        <td>
          <a href="/console/meetings/${m.meeting_id}"
            >${m.topic ?? 'Meeting'} <span class="muted">(${m.meeting_id})</span></a
          >
        </td>
        <td>
          ${
            m.ended
              ? html`<span class="badge">Ended</span>`
              : html`<span class="badge ok">Live</span>`
          }
        </td>
        <td class="num">${m.present}</td>
        <td class="num">${m.reachable}</td>
        <td>
          ${
            m.unreachable.length === 0
              ? html`<span class="muted">None</span>`
              : html`<ul>
                  ${m.unreachable.map((u) => html`<li>${u.count}: ${u.reason}</li>`)}
                </ul>`
          }
        </td>
      </tr>`,
  );
  return layout(
    'Meetings',
    html`<h1>Meetings</h1>
      <p class="muted">
        Meetings Zoom has told this service about (its webhooks), the latest first. Open one to see
        who is there and send a question.
      </p>
      ${
        input.items.length === 0
          ? html`<p>No meeting yet: start a Zoom meeting with the app's webhooks set up.</p>`
          : html`<div class="table-wrap">
              <table>
                <caption class="sr-only">
                  Meetings
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Meeting</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">Present</th>
                    <th scope="col" class="num">Reachable</th>
                    <th scope="col">Unreachable, and why</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
            </div>`
      }`,
    { csrf: input.csrf, actor: input.actor, section: 'meetings' },
  );
}

export interface PersonRow {
  name: string;
  email: string | null;
  reachable: boolean;
  unreachable_reason: string | null;
}

export interface BroadcastRow {
  /** Its page: the results, or a run's page for a run's message. */
  href: string;
  title: string | null;
  /** 'run message', or null for a question or link sent on its own. */
  note: string | null;
  mode: string;
  created_at: string;
  recipients: number;
}

export interface RunRow {
  id: string;
  title: string;
  state: string;
  started_at: string;
}

export function renderRoom(input: {
  csrf: string;
  actor: Actor;
  meetingId: string;
  topic: string | null;
  ended: boolean;
  people: PersonRow[];
  questions: Array<{ id: string; title: string }>;
  sets: Array<{ id: string; title: string }>;
  runs: RunRow[];
  broadcasts: BroadcastRow[];
  error: string | null;
  /** Why the "Run a question set" form was refused. */
  runError: string | null;
  canSend: boolean;
}): string {
  const reachable = input.people.filter((p) => p.reachable).length;
  const people = input.people.map(
    (p) =>
      html`<tr>
        <td>${p.name}</td>
        <td class="wide-only">${p.email ?? html`<span class="muted">none</span>`}</td>
        <td>
          ${
            p.reachable
              ? html`<span class="badge ok">Reachable</span>`
              : html`<span class="badge bad">Unreachable</span> ${p.unreachable_reason ?? ''}`
          }
        </td>
      </tr>`,
  );
  const sendForm = input.canSend
    ? html`<form method="post" action="/console/meetings/${input.meetingId}/send" class="card">
        <h2>Send a question</h2>
        ${input.error ? html`<p class="error-summary" role="alert">${input.error}</p>` : null}
        ${csrfField(input.csrf)}
        ${
          input.questions.length === 0
            ? html`<p>
                The bank is empty: <a href="/console/questions/new">create a question</a> first.
              </p>`
            : html`<div class="field">
                  <label for="question_id">Question</label>
                  <select id="question_id" name="question_id" required>
                    ${input.questions.map((q) => html`<option value="${q.id}">${q.title}</option>`)}
                  </select>
                </div>
                <fieldset>
                  <legend>How</legend>
                  <label class="choice"
                    ><input type="radio" name="mode" value="direct" checked /> A personal link to
                    each reachable person (Team Chat)</label
                  >
                  <label class="choice"
                    ><input type="radio" name="mode" value="channel" /> One link in the meeting's
                    chat channel (people type their name)</label
                  >
                </fieldset>
                <div class="field">
                  <label class="choice"
                    ><input
                      type="checkbox"
                      name="anonymous"
                      value="on"
                      aria-describedby="anonymous_hint"
                    />
                    Anonymous</label
                  >
                  <p class="hint" id="anonymous_hint">
                    Answers are not linked to anyone: you see totals and who has not answered yet,
                    never who answered what; they earn no leaderboard points. Personal links only.
                  </p>
                </div>
                <button type="submit">Send question</button>`
        }
      </form>`
    : null;
  const runForm = input.canSend
    ? html`<form method="post" action="/console/meetings/${input.meetingId}/runs" class="card">
        <h2>Run a question set</h2>
        ${input.runError ? html`<p class="error-summary" role="alert">${input.runError}</p>` : null}
        ${csrfField(input.csrf)}
        ${
          input.sets.length === 0
            ? html`<p>
                You have no question sets yet: make one with POST /api/question-sets (see the API
                docs).
              </p>`
            : html`<div class="field">
                  <label for="set_id">Question set</label>
                  <select id="set_id" name="set_id" required aria-describedby="set_hint">
                    ${input.sets.map((s) => html`<option value="${s.id}">${s.title}</option>`)}
                  </select>
                  <p class="hint" id="set_hint">
                    Starts now: each reachable person gets one Team Chat message with a personal
                    link for the whole set.
                  </p>
                </div>
                <button type="submit">Start run</button>`
        }
      </form>`
    : null;
  const runs =
    input.runs.length === 0
      ? null
      : html`<section aria-labelledby="runs-heading">
          <h2 id="runs-heading">Runs in this meeting</h2>
          <ul>
            ${input.runs.map(
              (r) =>
                html`<li>
                  <a href="/console/runs/${r.id}">${r.title}</a>
                  <span class="muted"
                    >${RUN_STATES[r.state] ?? r.state}, started ${r.started_at}</span
                  >
                </li>`,
            )}
          </ul>
        </section>`;
  return layout(
    `Live room ${input.meetingId}`,
    html`<h1>
        Live room: ${input.topic ?? 'Meeting'} <span class="muted">(${input.meetingId})</span>
      </h1>
      <div class="grid2">
        <section aria-labelledby="present-heading">
          <h2 id="present-heading">
            Present now: ${input.people.length} (${reachable} reachable)
            ${input.ended ? html`<span class="badge">Ended</span>` : null}
          </h2>
          ${
            input.people.length === 0
              ? html`<p>Nobody is in the meeting as far as Zoom's webhooks tell.</p>`
              : html`<div class="table-wrap">
                  <table>
                    <caption class="sr-only">
                      People in the meeting
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col" class="wide-only">Email</th>
                        <th scope="col">Team Chat</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${people}
                    </tbody>
                  </table>
                </div>`
          }
        </section>
        <div>
          ${sendForm} ${runForm} ${runs}
          <section aria-labelledby="sent-heading">
            <h2 id="sent-heading">Sent to this meeting</h2>
            ${
              input.broadcasts.length === 0
                ? html`<p class="muted">Nothing yet.</p>`
                : html`<ul>
                    ${input.broadcasts.map(
                      (b) =>
                        html`<li>
                          <a href="${b.href}">${b.title ?? 'A link'}</a>
                          <span class="muted"
                            >${b.note ? `${b.note}, ` : ''}${b.mode}, ${b.recipients} recipients,
                            ${b.created_at}</span
                          >
                        </li>`,
                    )}
                  </ul>`
            }
          </section>
        </div>
      </div>`,
    { csrf: input.csrf, actor: input.actor, section: 'meetings' },
  );
}

// ---------------------------------------------------------------- live results

export interface ResultsView extends ChartTally {
  broadcast_id: string;
  meeting_id: string;
  mode: string;
  /** Answers are not linked to people: the page shows aggregates and says so. */
  anonymous?: boolean;
  question: Pick<
    ResultsQuestionDto,
    | 'title'
    | 'question_text'
    | 'correct_answer'
    | 'correct_value'
    | 'tolerance'
    | 'unit'
    | 'correct_order'
    | 'accepted_answers'
  > &
    Partial<ResultsQuestionDto>;
  open: boolean;
  closes_at: string | null;
  closed_at: string | null;
  revealed: boolean;
  recipients: number;
  delivered: number;
  not_answered: number;
  non_responders: Array<{
    name: string;
    email: string | null;
    in_meeting: boolean;
    reason: string;
  }>;
}

export interface LeaderRow {
  rank: number;
  name: string;
  total: number;
  correct: number;
  identity: string;
}

/** What a non-responder's reason means, for the instructor (results.response.ts lists them). */
const REASONS: Record<string, string> = {
  no_answer: 'Got the question, has not answered',
  not_delivered: 'The message has not gone out (pending or failed)',
  unconfirmed: 'Sent, but Zoom could not confirm it arrived',
  unreachable: 'Team Chat cannot reach them (guest, or no email)',
  joined_after_send: 'Joined after the question was sent',
  left_meeting: 'Got the question and left the meeting',
};

export const NOTICES: Record<string, (n: number) => string> = {
  sent: () => 'The question is being sent.',
  reminded: (n) => `Reminder sent to ${n} ${n === 1 ? 'person' : 'people'}.`,
  closed: () => 'Answers are closed.',
  revealed: () => 'The right answer is revealed.',
  created: () => 'Question created.',
  saved: () => 'Question saved.',
  deleted: () => 'Question deleted.',
  run_started: () => 'The run has started: its messages are going out.',
  next: (n) => `Moved on to question ${n}.`,
  run_ended: () => 'The run has ended.',
};

function countdown(results: ResultsView, now: Date, large: boolean): SafeHtml {
  const closed = results.closed_at !== null;
  const remaining =
    results.closes_at === null ? null : Math.max(0, Date.parse(results.closes_at) - now.getTime());
  const text = closed
    ? 'Closed'
    : remaining === null
      ? '…'
      : remaining > 0
        ? formatMs(remaining)
        : 'Time is up';
  return html`<p
    class="${large ? 'p-timer' : 'stat countdown'}${closed ? ' closed' : ''}"
    data-countdown
    data-remaining-ms="${remaining === null ? '' : String(remaining)}"
    data-server-now="${now.getTime()}"
    data-closed="${closed ? 'true' : 'false'}"
  >
    ${large ? null : html`<span>Time left</span>`}
    <strong data-countdown-value role="timer" aria-label="Time left">${text}</strong>
  </p>`;
}

function formatMs(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

export function renderResults(input: {
  csrf: string;
  actor: Actor;
  results: ResultsView;
  leaderboard: LeaderRow[];
  now: Date;
  notice: string | null;
  canControl: boolean;
  canRemind: boolean;
}): string {
  const r = input.results;
  const closed = r.closed_at !== null;
  const survey = !isScored(withTypeDefaults(r.question));
  const id = r.broadcast_id;
  const control = (action: string, label: string, cls = '') =>
    html`<form method="post" action="/console/broadcasts/${id}/${action}">
      ${csrfField(input.csrf)}
      <button type="submit" class="${cls}">${label}</button>
    </form>`;
  const nonResponders = r.non_responders.map(
    (n) =>
      html`<tr>
        <td>${n.name}</td>
        <td class="wide-only">${n.email ?? ''}</td>
        <td>${REASONS[n.reason] ?? n.reason}</td>
        <td>${n.in_meeting ? 'Yes' : 'No'}</td>
      </tr>`,
  );
  return layout(
    `Results: ${r.question.title}`,
    html`<div data-broadcast-id="${id}">
      <p><a href="/console/meetings/${r.meeting_id}">← Live room ${r.meeting_id}</a></p>
      <h1>${r.question.title}</h1>
      <p class="question-text">${r.question.question_text}</p>
      ${
        r.anonymous
          ? html`<p class="badge anon">
              Anonymous: answers are not linked to people; only who has not answered is shown.
            </p>`
          : null
      }
      ${notice(input.notice)}
      <p class="sr-only" id="live-status" role="status" aria-live="polite"></p>
      <div class="stats">
        ${countdown(r, input.now, false)}
        <p class="stat">
          <span>Answered</span>
          <strong
            ><span data-answered>${r.answered}</span> of
            <span data-refresh="reached">${r.delivered}</span> reached</strong
          >
        </p>
        <p class="stat">
          <span>Recipients</span><strong>${r.recipients}</strong>
          <span class="muted">${r.mode === 'channel' ? 'channel message' : 'personal links'}</span>
        </p>
      </div>
      <div class="actions">
        ${input.canRemind && !closed ? control('remind', 'Remind non-responders', 'secondary') : null}
        ${input.canControl && !closed ? control('close', 'Close now', 'danger') : null}
        ${input.canControl && !survey && !r.revealed ? control('reveal', 'Reveal answer') : null}
        <a class="button secondary" href="/console/broadcasts/${id}/present">Presenter view</a>
        <a class="button secondary" href="/api/broadcasts/${id}/results.csv" download
          >Download CSV</a
        >
      </div>
      <section aria-labelledby="chart-heading" class="card">
        <h2 id="chart-heading">Answers</h2>
        ${renderChart(r, {
          revealed: r.revealed,
          captionId: 'chart-caption',
          tableVisible: true,
          question: r.question,
        })}
      </section>
      <div class="grid2">
        <section aria-labelledby="missing-heading" data-refresh="missing">
          <h2 id="missing-heading">Not answered: ${r.not_answered}</h2>
          ${
            r.non_responders.length === 0
              ? html`<p class="muted">Everyone has answered.</p>`
              : html`<div class="table-wrap">
                  <table>
                    <caption class="sr-only">
                      People who have not answered
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col" class="wide-only">Email</th>
                        <th scope="col">Why</th>
                        <th scope="col">In meeting</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${nonResponders}
                    </tbody>
                  </table>
                </div>`
          }
        </section>
        <section aria-labelledby="board-heading" data-refresh="board">
          <h2 id="board-heading">Leaderboard (this meeting)</h2>
          ${renderLeaderboard(input.leaderboard.slice(0, 10))}
        </section>
      </div>
    </div>`,
    { csrf: input.csrf, actor: input.actor, section: 'meetings' },
  );
}

function renderLeaderboard(rows: LeaderRow[]): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">No answers yet.</p>`;
  return html`<table>
    <caption class="sr-only">
      Leaderboard, highest total first
    </caption>
    <thead>
      <tr>
        <th scope="col" class="num">Rank</th>
        <th scope="col">Name</th>
        <th scope="col" class="num">Points</th>
        <th scope="col" class="num">Right</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            <td class="num">${row.rank}</td>
            <td>
              ${row.name}${
                row.identity === 'self_reported'
                  ? html` <span class="muted">(self-reported)</span>`
                  : null
              }
            </td>
            <td class="num">${row.total}</td>
            <td class="num">${row.correct}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function renderPresenter(input: {
  csrf: string;
  results: ResultsView;
  leaderboard: LeaderRow[];
  showNames: boolean;
  now: Date;
}): string {
  const r = input.results;
  const id = r.broadcast_id;
  return layout(
    `Presenting: ${r.question.title}`,
    html`<div data-broadcast-id="${id}" class="presenter-root">
      <div class="p-head">
        <h1 class="p-question">${r.question.question_text}</h1>
        ${countdown(r, input.now, true)}
      </div>
      <p class="p-meta"><span data-answered>${r.answered}</span> answered</p>
      <p class="sr-only" id="live-status" role="status" aria-live="polite"></p>
      ${renderChart(r, {
        revealed: r.revealed,
        captionId: 'chart-caption',
        tableVisible: false,
        question: r.question,
      })}
      ${
        input.showNames
          ? html`<section aria-labelledby="names-heading">
              <h2 id="names-heading" class="p-meta">Leaderboard</h2>
              <ol class="p-names">
                ${input.leaderboard.slice(0, 10).map((row) => html`<li>${row.name}: ${row.total}</li>`)}
              </ol>
            </section>`
          : null
      }
      <p class="p-foot">
        <a href="/console/broadcasts/${id}/present${input.showNames ? '' : '?names=1'}"
          >${input.showNames ? 'Hide names' : 'Show names'}</a
        >
        <a href="/console/broadcasts/${id}">Back to the live room</a>
      </p>
    </div>`,
    { csrf: input.csrf, bodyClass: 'presenter' },
  );
}

// ---------------------------------------------------------------- runs of question sets

/** A run's state in the console's words (run.types.ts RUN_STATES). */
const RUN_STATES: Record<string, string> = {
  starting: 'Starting',
  running: 'Running',
  ended: 'Ended',
};

const END_REASONS: Record<string, string> = {
  instructor: 'ended by the instructor',
  finished: 'past its last question',
  deadline: 'its time ran out',
};

const RECIPIENT_COUNTS: Array<[keyof RunResponseDto['counts']['recipients'], string]> = [
  ['sent', 'Sent'],
  ['pending', 'Waiting'],
  ['sending', 'Sending'],
  ['unconfirmed', 'Not confirmed'],
  ['failed', 'Failed'],
  ['unreachable', 'Unreachable'],
];

/** The run's position in words (also what the page announces when it changes). */
function runPosition(run: RunResponseDto): string {
  const q = run.current_question;
  if (run.state === 'ended') {
    return `The run has ended (${END_REASONS[run.end_reason ?? ''] ?? 'ended'}).`;
  }
  if (run.state === 'starting') return 'The run is starting: its messages are being written.';
  if (q === null) return 'Each person answers at their own pace.';
  return `Question ${q.index + 1} of ${run.steps.length}: ${q.title}`;
}

const clock = (iso: string): string => iso.slice(11, 19) + ' UTC';

/**
 * GET /console/runs/{id}: a run's control page (docs/architecture.md §15). Its live part is one
 * region (data-refresh) re-read by the console script while the run is live (data-run-poll);
 * Next carries the question the page showed, so a second click is refused, never a skip.
 */
export function renderRun(input: {
  csrf: string;
  actor: Actor;
  run: RunResponseDto;
  now: Date;
  notice: string | null;
  error: string | null;
  canControl: boolean;
}): string {
  const run = input.run;
  const q = run.current_question;
  const live = run.state !== 'ended';
  const control = (action: string, label: string, cls: string, extra: HtmlValue = null) =>
    html`<form method="post" action="/console/runs/${run.id}/${action}">
      ${csrfField(input.csrf)} ${extra}
      <button type="submit" class="${cls}">${label}</button>
    </form>`;
  const left = q === null ? 0 : Math.max(0, Date.parse(q.deadline) - input.now.getTime());
  const recipients = run.counts.recipients;
  const current =
    q === null
      ? null
      : html`<section class="card" aria-labelledby="current-heading">
          <h2 id="current-heading">Question ${q.index + 1} of ${run.steps.length}: ${q.title}</h2>
          <p class="question-text">${q.question_text}</p>
          <div class="stats">
            <p class="stat">
              <span>Deadline</span><strong>${clock(q.deadline)}</strong>
              <span class="muted">${left > 0 ? `${formatMs(left)} left` : 'time is up'}</span>
            </p>
            <p class="stat">
              <span>Answers so far</span><strong>${run.counts.current_answers ?? 0}</strong>
            </p>
          </div>
          <div class="actions">
            ${
              input.canControl
                ? control(
                    'next',
                    q.index + 1 < run.steps.length ? 'Next question' : 'Finish (last question)',
                    '',
                    html`<input type="hidden" name="current_index" value="${q.index}" />`,
                  )
                : null
            }
            <a class="button secondary" href="/console/broadcasts/${q.step_broadcast_id}/present"
              >Presenter view</a
            >
            <a class="button secondary" href="/console/broadcasts/${q.step_broadcast_id}"
              >Live results</a
            >
          </div>
        </section>`;
  const steps = run.steps.map(
    (s) =>
      html`<tr ${q !== null && q.index === s.index ? html`aria-current="step"` : null}>
        <td class="num">${s.index + 1}</td>
        <td><a href="/console/broadcasts/${s.step_broadcast_id}">${s.title}</a></td>
        <td class="num">${s.answers}</td>
      </tr>`,
  );
  return layout(
    `Run: ${run.title}`,
    html`<div data-run-id="${run.id}" ${live ? html`data-run-poll` : null}>
      <p><a href="/console/meetings/${run.meeting_id}">← Live room ${run.meeting_id}</a></p>
      <h1>${run.title}</h1>
      ${notice(input.notice)}
      ${input.error ? html`<p class="error-summary" role="alert">${input.error}</p>` : null}
      <p class="sr-only" id="live-status" role="status" aria-live="polite"></p>
      <div data-refresh="run" data-run-announce="${runPosition(run)}">
        <div class="stats">
          <p class="stat">
            <span>State</span><strong>${RUN_STATES[run.state] ?? run.state}</strong>
            ${
              run.state === 'ended'
                ? html`<span class="muted">${END_REASONS[run.end_reason ?? ''] ?? ''}</span>`
                : null
            }
          </p>
          <p class="stat">
            <span>Pacing</span
            ><strong>${run.pacing === 'self' ? 'Each at their own pace' : 'You move it on'}</strong>
            ${
              run.pacing === 'self' && run.ends_at
                ? html`<span class="muted">ends ${clock(run.ends_at)}</span>`
                : run.auto_advance_seconds !== null
                  ? html`<span class="muted"
                      >auto-advance after ${run.auto_advance_seconds} s</span
                    >`
                  : null
            }
          </p>
          <p class="stat">
            <span>Messages</span><strong>${recipients.total}</strong>
            <span class="muted"
              >${
                RECIPIENT_COUNTS.filter(([k]) => recipients[k] > 0)
                  .map(([k, label]) => `${label}: ${recipients[k]}`)
                  .join(', ') || 'none yet'
              }</span
            >
          </p>
        </div>
        ${q === null ? html`<p>${runPosition(run)}</p>` : current}
        ${
          input.canControl && live
            ? html`<div class="actions">${control('end', 'End run', 'danger')}</div>`
            : null
        }
        <section aria-labelledby="steps-heading">
          <h2 id="steps-heading">Questions</h2>
          <div class="table-wrap">
            <table>
              <caption class="sr-only">
                The run's questions in order, with the answers to each
              </caption>
              <thead>
                <tr>
                  <th scope="col" class="num">#</th>
                  <th scope="col">Question</th>
                  <th scope="col" class="num">Answers</th>
                </tr>
              </thead>
              <tbody>
                ${steps}
              </tbody>
            </table>
          </div>
        </section>
      </div>
    </div>`,
    { csrf: input.csrf, actor: input.actor, section: 'meetings' },
  );
}
