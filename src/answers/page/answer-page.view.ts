import { ANSWER_PAGE_CSS_VERSION, ANSWER_PAGE_JS_VERSION } from './answer-page.assets';
import { html, HtmlValue, SafeHtml } from '../../common/html/html';
import { describeAnswer } from '../../question-types/describe';
import {
  isScored,
  QUESTION_LIMITS,
  scalePoints,
  type AnswerValue,
  type QuestionBody,
} from '../../question-types/question-types';
import type { PageText } from './i18n/page-text';
import type { RankingMove } from './ranking-moves';

export const ANSWER_PAGE_CSS_PATH = '/assets/answer-page.css';
export const ANSWER_PAGE_JS_PATH = '/assets/answer-page.js';

/**
 * What the page shows of the question: the broadcast's snapshot (every type's fields, flat), its
 * anonymity, and whether the instructor revealed the right answer (shown only then).
 */
export interface PageQuestion extends QuestionBody {
  title: string;
  question_text: string;
  time_limit: number;
  points: number;
  /** The instructor will not see who answered what: said plainly before answering. */
  anonymous: boolean;
  /** POST /api/broadcasts/{id}/reveal happened: the right answer is shown (scored types only). */
  revealed: boolean;
}

export interface QuestionPageInput {
  token: string;
  question: PageQuestion;
  text: PageText;
  /** Milliseconds left in this recipient's window, measured on the server. */
  remainingMs: number;
  /** Channel mode: one shared link, so the person says who they are. */
  askIdentity: boolean;
  /** What the form held when a ranking move reloaded the page (no JavaScript). */
  values?: { name?: string; email?: string; order?: number[] };
  /** The move just made without JavaScript: its button gets the focus back. */
  moved?: RankingMove;
  /**
   * Where the page lives (`/q/{token}` when absent): the form posts to `{basePath}/answer` and a
   * ranking move reloads `{basePath}`. A run's page (`/r/{token}`) sets it.
   */
  basePath?: string;
  /** Hidden form fields sent with the answer (a run's page: `question_id`). */
  hiddenFields?: Readonly<Record<string, string>>;
  /** What else the page carries around the question (PageFrame). */
  frame?: PageFrame;
}

/**
 * What a page embedding the answer page's parts adds (a run's page, src/runs/page): content
 * above the question in its card, more same-origin scripts, and data attributes on `<main>` for
 * those scripts (the CSP allows no inline script).
 */
export interface PageFrame {
  before?: HtmlValue;
  scripts?: readonly string[];
  data?: Readonly<Record<string, string>>;
}

export interface AnsweredPageInput {
  question: PageQuestion;
  text: PageText;
  /**
   * The answer given; null when it cannot be shown: an anonymous question's link no longer leads
   * to its answer once given (only right after the post is it known to the page).
   */
  answer: AnswerValue | null;
  correct: boolean | null;
  score: number;
  /** True right after the POST; false when the page is opened again later. */
  justAnswered: boolean;
}

const LETTERS = 'ABCDEFGHIJ';

export function optionLetter(index: number): string {
  return LETTERS[index] ?? String(index + 1);
}

function formatSeconds(totalSeconds: number): string {
  const m = Math.floor(totalSeconds / 60);
  const s = totalSeconds % 60;
  return m > 0 ? `${m}:${String(s).padStart(2, '0')}` : String(s);
}

/** An option as the participant reads it: true/false in their language, others as written. */
function optionLabel(question: QuestionBody, text: PageText, index: number): string {
  if (question.type === 'true_false') {
    return index === 0 ? text.t('true_label') : index === 1 ? text.t('false_label') : '';
  }
  return question.options[index] ?? '';
}

/** An answer in words, numbers the reader's way (describeAnswer, shared with the CSV). */
export function answerInWords(question: QuestionBody, answer: AnswerValue, text: PageText): string {
  const words = describeAnswer(question, answer, text.number, (i) =>
    optionLabel(question, text, i),
  );
  // Single-choice options carry their letter on the page: the confirmation repeats it.
  return question.type === 'single' && answer.choice !== undefined
    ? `${optionLetter(answer.choice)}. ${words}`
    : words;
}

/** The path a question page's form and ranking moves go to. */
function basePathOf(input: Pick<QuestionPageInput, 'basePath' | 'token'>): string {
  return input.basePath ?? `/q/${input.token}`;
}

/**
 * Every participant page's document: the head (stylesheet, script, no referrer, no indexing) and
 * `body` in `<main>`; `frame` adds scripts and `<main>`'s data attributes.
 */
export function layout(text: PageText, title: string, body: SafeHtml, frame?: PageFrame): string {
  const scripts = (frame?.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`);
  const data = Object.entries(frame?.data ?? {}).map(
    ([name, value]) => html` data-${name.replace(/[^a-z0-9-]/g, '')}="${value}"`,
  );
  return html`<!doctype html>
    <html lang="${text.language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <link rel="icon" href="data:," />
        <title>${title}</title>
        <link rel="stylesheet" href="${ANSWER_PAGE_CSS_PATH}?v=${ANSWER_PAGE_CSS_VERSION}" />
        <script src="${ANSWER_PAGE_JS_PATH}?v=${ANSWER_PAGE_JS_VERSION}" defer></script>
        ${scripts}
      </head>
      <body>
        <main${data}>${body}</main>
      </body>
    </html> `.value;
}

/** The right answer in words, for a revealed scored question; null otherwise. */
function rightAnswer(question: PageQuestion, text: PageText): string | null {
  if (!question.revealed || !isScored(question)) return null;
  switch (question.type) {
    case 'single':
    case 'true_false':
      return answerInWords(question, { choice: question.correct_answer ?? undefined }, text);
    case 'multiple':
      return answerInWords(question, { choices: question.correct_answers ?? [] }, text);
    case 'numeric': {
      const value = answerInWords(question, { value: question.correct_value ?? undefined }, text);
      return question.tolerance ? `${value} (± ${text.number(question.tolerance)})` : value;
    }
    case 'text':
      return (question.accepted_answers ?? []).join(' / ');
    case 'ranking':
      return answerInWords(question, { order: question.correct_order ?? [] }, text);
    case 'rating':
      return null;
  }
}

function revealedAnswer(question: PageQuestion, text: PageText): HtmlValue {
  const right = rightAnswer(question, text);
  if (right === null) return null;
  return html`<p class="revealed" id="revealed-answer">
    ${text.t('right_answer')} <strong>${right}</strong>
  </p>`;
}

export function questionHeader(question: PageQuestion): SafeHtml {
  return html`<h1>${question.title}</h1>
    <p class="question" id="question-text">${question.question_text}</p>`;
}

function identityFields(text: PageText, values: QuestionPageInput['values'] = {}): SafeHtml {
  return html`<fieldset>
    <legend>${text.t('who_are_you')}</legend>
    <div class="field">
      <label for="name">${text.t('your_name')}</label>
      <input
        id="name"
        name="name"
        type="text"
        required
        maxlength="100"
        autocomplete="name"
        value="${values.name ?? ''}"
      />
    </div>
    <div class="field">
      <label for="email">${text.t('your_email')}</label>
      <input
        id="email"
        name="email"
        type="email"
        required
        maxlength="254"
        autocomplete="email"
        inputmode="email"
        value="${values.email ?? ''}"
      />
    </div>
  </fieldset>`;
}

/** single and true_false: one radio per option (letters A, B, … drawn by the stylesheet). */
function choiceField(question: PageQuestion, text: PageText): SafeHtml {
  const options = question.options.map(
    (_, i) =>
      html`<label class="option"
        ><input type="radio" name="choice" value="${i}" ${i === 0 ? html` required` : null} /><span
          data-letter="${optionLetter(i)}"
          >${optionLabel(question, text, i)}</span
        ></label
      >`,
  );
  return html`<fieldset>
    <legend>${text.t('choose_single')}</legend>
    <div class="options">${options}</div>
  </fieldset>`;
}

/** multiple: one checkbox per option, `choices` repeated; the limit said in the legend. */
function choicesField(question: PageQuestion, text: PageText): SafeHtml {
  const max = question.max_choices;
  const legend =
    max === null || max >= question.options.length
      ? text.t('choose_any')
      : text.plural('choose_up_to', max, { max });
  const options = question.options.map(
    (option, i) =>
      html`<label class="option"
        ><input type="checkbox" name="choices" value="${i}" /><span data-letter="${optionLetter(i)}"
          >${option}</span
        ></label
      >`,
  );
  return html`<fieldset>
    <legend>${legend}</legend>
    <div class="options">${options}</div>
  </fieldset>`;
}

/** rating: a radio scale, each point named by its number (and the end labels at the ends). */
function ratingField(question: PageQuestion, text: PageText): HtmlValue {
  const scale = question.scale;
  if (!scale) return null;
  const points = scalePoints(scale);
  const ends = (value: number): string | null =>
    value === scale.min ? scale.min_label : value === scale.max ? scale.max_label : null;
  const radios = points.map((value, i) => {
    const end = ends(value);
    return html`<label class="point"
      ><input type="radio" name="value" value="${value}" ${i === 0 ? html` required` : null} /><span
        >${text.number(value)}${end ? html`<span class="sr-only"> (${end})</span>` : null}</span
      ></label
    >`;
  });
  const labels =
    scale.min_label || scale.max_label
      ? html`<div class="scale-ends" aria-hidden="true">
          <span>${scale.min_label ?? ''}</span><span>${scale.max_label ?? ''}</span>
        </div>`
      : null;
  return html`<fieldset>
    <legend>${text.t('rate', { min: scale.min, max: scale.max })}</legend>
    <div class="scale points-${points.length}">${radios}</div>
    ${labels}
  </fieldset>`;
}

/**
 * numeric: a text input, not type="number": that one refuses a comma in some browsers and
 * languages, and the answer path accepts either decimal mark. `inputmode` still brings up the
 * phone's number keyboard.
 */
function numericField(question: PageQuestion, text: PageText): SafeHtml {
  const unit = question.unit;
  return html`<div class="field">
    <label for="value">${text.t('number_answer')}</label>
    <div class="numeric">
      <input
        id="value"
        name="value"
        type="text"
        inputmode="decimal"
        autocomplete="off"
        required
        maxlength="32"
        aria-describedby="${unit ? 'value-unit ' : ''}value-hint"
      />${unit ? html`<span class="unit" id="value-unit">${unit}</span>` : null}
    </div>
    <p class="muted hint" id="value-hint">${text.t('number_hint')}</p>
  </div>`;
}

/**
 * text: a textarea whose maxlength holds without JavaScript; the script shows a live count and
 * tells screen readers how much is left only after a pause near the limit, not on every key.
 */
function textField(question: PageQuestion, text: PageText): SafeHtml {
  const max = question.max_length ?? QUESTION_LIMITS.text.maxLength;
  return html`<div class="field">
    <label for="text">${text.t('text_answer')}</label>
    <textarea
      id="text"
      name="text"
      rows="4"
      required
      maxlength="${max}"
      aria-describedby="text-hint"
    ></textarea>
    <div class="text-meta">
      <p class="muted hint" id="text-hint">${text.t('text_limit', { max })}</p>
      <p
        class="muted hint count"
        id="text-count"
        aria-hidden="true"
        hidden
        data-template="${text.t('text_count', { max })}"
      ></p>
    </div>
    <p
      class="sr-only"
      id="text-count-live"
      aria-live="polite"
      data-template="${text.t('text_left')}"
    ></p>
  </div>`;
}

/**
 * ranking: the options as a list, each with up and down buttons. Without JavaScript a button
 * submits the form by GET to the page itself with the current `order` and its `move`
 * (ranking-moves.ts), and the page comes back in the new order with that button focused; the
 * script moves the item in place instead and keeps the focus on the moved item's button.
 */
function rankingField(input: QuestionPageInput): SafeHtml {
  const { question, text, moved } = input;
  const order = input.values?.order ?? question.options.map((_, i) => i);
  const last = order.length - 1;
  const focus = (option: number, direction: 'up' | 'down', position: number): boolean => {
    if (!moved || moved.option !== option) return false;
    const disabled = (d: 'up' | 'down'): boolean =>
      d === 'up' ? position === 0 : position === last;
    // At an end the moved button is disabled: its other button takes the focus.
    return disabled(moved.direction)
      ? direction !== moved.direction
      : direction === moved.direction;
  };
  const button = (option: number, position: number, direction: 'up' | 'down'): SafeHtml => {
    const label = text.t(direction === 'up' ? 'move_up' : 'move_down', {
      option: question.options[option] ?? '',
    });
    const disabled = direction === 'up' ? position === 0 : position === last;
    return html`<button
      type="submit"
      class="move"
      name="move"
      value="${direction}:${option}"
      formmethod="get"
      formaction="${basePathOf(input)}"
      formnovalidate
      data-direction="${direction}"
      ${disabled ? html` disabled` : null}${focus(option, direction, position) ? html` autofocus` : null}
    >
      <span aria-hidden="true">${direction === 'up' ? '↑' : '↓'}</span
      ><span class="sr-only">${label}</span>
    </button>`;
  };
  const items = order.map(
    (option, position) =>
      html`<li class="rank-item">
        <input type="hidden" name="order" value="${option}" /><span class="rank-text"
          >${question.options[option] ?? ''}</span
        ><span class="rank-moves"
          >${button(option, position, 'up')}${button(option, position, 'down')}</span
        >
      </li>`,
  );
  return html`<fieldset>
    <legend>${text.t('rank')}</legend>
    <p class="muted hint" id="rank-hint">${text.t('rank_hint')}</p>
    <ol class="ranking" id="ranking" aria-describedby="rank-hint">
      ${items}
    </ol>
    <p class="sr-only" id="rank-live" aria-live="polite" data-template="${text.t('moved')}"></p>
  </fieldset>`;
}

function answerField(input: QuestionPageInput): HtmlValue {
  const { question, text } = input;
  switch (question.type) {
    case 'single':
    case 'true_false':
      return choiceField(question, text);
    case 'multiple':
      return choicesField(question, text);
    case 'rating':
      return ratingField(question, text);
    case 'numeric':
      return numericField(question, text);
    case 'text':
      return textField(question, text);
    case 'ranking':
      return rankingField(input);
  }
}

export function renderQuestionPage(input: QuestionPageInput): string {
  const { question, text, remainingMs, askIdentity } = input;
  const seconds = Math.ceil(Math.max(0, remainingMs) / 1000);
  const pointsNote = isScored(question)
    ? text.plural('points_note', question.points, { points: question.points })
    : text.t('survey_note');
  // Enter in a text field submits with the form's first submit button: on a ranking form that
  // would be a move button, so a hidden real submit comes first.
  const defaultSubmit =
    question.type === 'ranking' ? html`<button type="submit" hidden tabindex="-1"></button>` : null;
  const hidden = Object.entries(input.hiddenFields ?? {}).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
  );
  return layout(
    text,
    question.title,
    html`<div class="card">
      ${input.frame?.before ?? null} ${questionHeader(question)}
      <p
        class="timer"
        id="timer"
        role="timer"
        aria-atomic="true"
        data-remaining-ms="${Math.max(0, Math.round(remainingMs))}"
        data-time-limit-ms="${question.time_limit * 1000}"
      >
        <span class="sr-only">${text.t('time_left')} </span
        ><span class="timer-value" id="timer-value">${formatSeconds(seconds)}</span>
        <span aria-hidden="true">${text.t('left')}</span>
      </p>
      <div class="timer-bar" aria-hidden="true"><div class="timer-fill" id="timer-fill"></div></div>
      <p
        class="sr-only"
        id="timer-live"
        aria-live="polite"
        aria-atomic="true"
        data-seconds-left="${text.t('seconds_left')}"
        data-time-up="${text.t('time_up_live')}"
      ></p>
      <p class="closed-note" id="closed-note" hidden>${text.t('time_up')}</p>
      ${
        question.anonymous
          ? html`<p class="anonymous" id="anonymous-note">${text.t('anonymous_note')}</p>`
          : null
      }
      <form
        id="answer-form"
        method="post"
        action="${basePathOf(input)}/answer"
        data-sending="${text.t('sending')}"
      >
        ${hidden} ${defaultSubmit} ${askIdentity ? identityFields(text, input.values) : null}
        ${answerField(input)}
        <p class="muted">${pointsNote} ${text.t('final_note')}</p>
        <button type="submit" id="submit-answer">${text.t('submit')}</button>
      </form>
    </div>`,
    input.frame,
  );
}

/** What was answered and how it scored (and the right answer once revealed): the confirmation. */
export function answerSummary(
  input: Pick<AnsweredPageInput, 'question' | 'text' | 'correct' | 'score' | 'answer'>,
): SafeHtml {
  const { question, text, correct, score, answer } = input;
  const verdict: HtmlValue =
    answer === null
      ? html`<p>${text.t('anonymous_answered')}</p>`
      : correct === null
        ? html`<p class="result">${text.t('recorded')}</p>`
        : correct
          ? html`<p class="result ok">${text.plural('correct', score, { score })}</p>`
          : score > 0
            ? html`<p class="result partly">${text.plural('partly', score, { score })}</p>`
            : html`<p class="result bad">${text.t('wrong')}</p>`;
  const given: HtmlValue =
    answer === null
      ? null
      : html`<p>
          ${text.t('your_answer')}
          <strong id="your-choice">${answerInWords(question, answer, text)}</strong>
        </p>`;
  return html`${given} ${verdict} ${revealedAnswer(question, text)}`;
}

export function renderAnsweredPage(input: AnsweredPageInput): string {
  const { question, text } = input;
  return layout(
    text,
    text.t('answer_received_title', { title: question.title }),
    html`<div class="card" id="confirmation">
      ${questionHeader(question)}
      <div role="status">
        <h2>${input.justAnswered ? text.t('answer_received') : text.t('already_answered')}</h2>
        ${answerSummary(input)}
      </div>
      <p class="muted">${text.t('close_page')}</p>
    </div>`,
  );
}

export function renderClosedPage(question: PageQuestion, text: PageText): string {
  return layout(
    text,
    text.t('closed_title', { title: question.title }),
    html`<div class="card" id="closed">
      ${questionHeader(question)}
      <div role="status">
        <h2>${text.t('closed')}</h2>
        <p>${text.t('closed_body')}</p>
        ${revealedAnswer(question, text)}
      </div>
    </div>`,
  );
}

export interface MessagePageInput {
  text: PageText;
  title: string;
  message: string;
  /** A link back to the question, when going back makes sense (a validation error). */
  backHref?: string;
}

export function renderMessagePage(input: MessagePageInput): string {
  return layout(
    input.text,
    input.title,
    html`<div class="card" id="message">
      <h1>${input.title}</h1>
      <p>${input.message}</p>
      ${
        input.backHref ? html`<p><a href="${input.backHref}">${input.text.t('back')}</a></p>` : null
      }
    </div>`,
  );
}
