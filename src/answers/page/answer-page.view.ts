import { ANSWER_PAGE_CSS_VERSION, ANSWER_PAGE_JS_VERSION } from './answer-page.assets';
import { html, HtmlValue, SafeHtml } from '../../common/html/html';

export const ANSWER_PAGE_CSS_PATH = '/assets/answer-page.css';
export const ANSWER_PAGE_JS_PATH = '/assets/answer-page.js';

/** What the page shows of the question: the right answer only once the instructor revealed it. */
export interface PageQuestion {
  title: string;
  question_text: string;
  options: string[];
  time_limit: number;
  points: number;
  /** A survey question has no right answer: the page says so and shows no score. */
  survey: boolean;
  /** The right option's index after POST /api/broadcasts/{id}/reveal; null before (or a survey). */
  revealed_answer: number | null;
}

export interface QuestionPageInput {
  token: string;
  question: PageQuestion;
  /** Milliseconds left in this recipient's window, measured on the server. */
  remainingMs: number;
  /** Channel mode: one shared link, so the person says who they are. */
  askIdentity: boolean;
  error?: string;
  values?: { name?: string; email?: string; choice?: number };
}

export interface AnsweredPageInput {
  question: PageQuestion;
  choice: number;
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

function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <link rel="icon" href="data:," />
        <title>${title}</title>
        <link rel="stylesheet" href="${ANSWER_PAGE_CSS_PATH}?v=${ANSWER_PAGE_CSS_VERSION}" />
        <script src="${ANSWER_PAGE_JS_PATH}?v=${ANSWER_PAGE_JS_VERSION}" defer></script>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html> `.value;
}

/** The right answer, once revealed: shown to whoever opens the page after the reveal. */
function revealedAnswer(question: PageQuestion): HtmlValue {
  const index = question.revealed_answer;
  if (index === null) return null;
  return html`<p class="revealed" id="revealed-answer">
    The right answer: <strong>${optionLetter(index)}. ${question.options[index] ?? ''}</strong>
  </p>`;
}

function questionHeader(question: PageQuestion): SafeHtml {
  return html`<h1>${question.title}</h1>
    <p class="question" id="question-text">${question.question_text}</p>`;
}

export function renderQuestionPage(input: QuestionPageInput): string {
  const { question, remainingMs, askIdentity, values = {} } = input;
  const seconds = Math.ceil(Math.max(0, remainingMs) / 1000);
  const identity: HtmlValue = askIdentity
    ? html`<fieldset>
        <legend>Who are you?</legend>
        <div class="field">
          <label for="name">Your name</label>
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
          <label for="email">Your email</label>
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
      </fieldset>`
    : null;
  const options = question.options.map(
    (text, i) =>
      html`<label class="option"
        ><input
          type="radio"
          name="choice"
          value="${i}"
          ${i === 0 ? html` required` : null}${values.choice === i ? html` checked` : null}
        /><span data-letter="${optionLetter(i)}">${text}</span></label
      >`,
  );
  const pointsNote = question.survey
    ? 'A survey: there is no wrong answer.'
    : `Worth up to ${question.points} points; faster right answers score more.`;
  return layout(
    question.title,
    html`<div class="card">
      ${questionHeader(question)}
      <p
        class="timer"
        id="timer"
        role="timer"
        aria-atomic="true"
        data-remaining-ms="${Math.max(0, Math.round(remainingMs))}"
        data-time-limit-ms="${question.time_limit * 1000}"
      >
        <span class="sr-only">Time left: </span
        ><span class="timer-value" id="timer-value">${formatSeconds(seconds)}</span>
        <span aria-hidden="true">left</span>
      </p>
      <div class="timer-bar" aria-hidden="true"><div class="timer-fill" id="timer-fill"></div></div>
      <p class="sr-only" id="timer-live" aria-live="polite" aria-atomic="true"></p>
      <p class="closed-note" id="closed-note" hidden>Time is up: answers are closed.</p>
      ${input.error ? html`<p class="error" role="alert" id="form-error">${input.error}</p>` : null}
      <form id="answer-form" method="post" action="/q/${input.token}/answer">
        ${identity}
        <fieldset>
          <legend>Choose one answer</legend>
          <div class="options">${options}</div>
        </fieldset>
        <p class="muted">${pointsNote} Your first answer is final.</p>
        <button type="submit">Submit answer</button>
      </form>
    </div>`,
  );
}

export function renderAnsweredPage(input: AnsweredPageInput): string {
  const { question, choice, correct, score } = input;
  const verdict: HtmlValue =
    correct === null
      ? html`<p class="result">Thanks, your answer is recorded.</p>`
      : correct
        ? html`<p class="result ok">✓ Correct: ${score} ${score === 1 ? 'point' : 'points'}</p>`
        : html`<p class="result bad">✗ Not the right answer: 0 points</p>`;
  return layout(
    `Answer received: ${question.title}`,
    html`<div class="card" id="confirmation">
      ${questionHeader(question)}
      <div role="status">
        <h2>${input.justAnswered ? 'Answer received' : 'You have already answered'}</h2>
        <p>
          Your answer:
          <strong id="your-choice"
            >${optionLetter(choice)}. ${question.options[choice] ?? ''}</strong
          >
        </p>
        ${verdict} ${revealedAnswer(question)}
      </div>
      <p class="muted">You can close this page.</p>
    </div>`,
  );
}

export function renderClosedPage(question: PageQuestion): string {
  return layout(
    `Closed: ${question.title}`,
    html`<div class="card" id="closed">
      ${questionHeader(question)}
      <div role="status">
        <h2>This question is closed</h2>
        <p>The time to answer has run out, and no answer was recorded for you.</p>
        ${revealedAnswer(question)}
      </div>
    </div>`,
  );
}

export interface MessagePageInput {
  title: string;
  message: string;
  /** A link back to the question, when going back makes sense (a validation error). */
  backHref?: string;
}

export function renderMessagePage(input: MessagePageInput): string {
  return layout(
    input.title,
    html`<div class="card" id="message">
      <h2>${input.title}</h2>
      <p>${input.message}</p>
      ${input.backHref ? html`<p><a href="${input.backHref}">Back to the question</a></p>` : null}
    </div>`,
  );
}
