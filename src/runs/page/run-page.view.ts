import type { AnswerPageRenderer } from '../../answers/answer-page-renderer.service';
import { answerValueOf, type StoredAnswer } from '../../answers/answer.types';
import type { PageFrame, PageQuestion } from '../../answers/page/answer-page.view';
import type { PageText } from '../../answers/page/i18n/page-text';
import { html, type HtmlValue, type SafeHtml } from '../../common/html/html';
import type { TallyDto } from '../../results/dto/results.response';
import type { RunStanding, RunView } from '../run-participant.service';
import { RUN_PAGE_JS_PATH, RUN_PAGE_JS_VERSION } from './run-page.assets';

/**
 * The run page's screens (issue 16, docs/architecture.md §28), server-rendered in the answer
 * page's document (AnswerPageRenderer: its stylesheet, script and every question type's form),
 * plus the run's own script (run-page.assets.ts), which follows the run through `data-run-*`
 * attributes on `<main>`: it reloads the page when the run's version moves (SSE, or polling the
 * state every 2 s) and after `data-reload-ms` (a deadline this screen waits for).
 */
export interface RunScreenInput {
  renderer: AnswerPageRenderer;
  text: PageText;
  token: string;
  view: RunView;
  /** The query of a ranking move made without JavaScript. */
  query?: unknown;
  /** The class's results of the question, when the run shows them between questions. */
  results?: TallyDto | null;
  /** The final screen's figures. */
  standing?: RunStanding | null;
}

/** Milliseconds after a deadline before the page reloads: the server has moved past it by then. */
const AFTER_DEADLINE_MS = 300;

export function renderRunScreen(input: RunScreenInput): string {
  const { view, text } = input;
  const { phase } = view;
  switch (phase.phase) {
    case 'question':
      return questionScreen(input, phase.deadline.getTime() - view.now.getTime());
    case 'waiting': {
      // Instructor pacing: answered (or time up); reload at the deadline to show the results.
      const untilDeadline = phase.deadline.getTime() - view.now.getTime();
      const showResults = view.link.run.show_results_between && phase.timeUp;
      return screen(
        input,
        text.t(phase.answered ? 'run_waiting' : 'run_time_up'),
        html`${progressLine(input)} ${questionHeaderOf(input)}
          <div role="status">
            <h2>${text.t(phase.answered ? 'run_waiting' : 'run_time_up')}</h2>
            ${phase.answered ? givenAnswer(input, view.answer) : html`<p>${text.t('run_no_answer')}</p>`}
          </div>
          ${showResults ? resultsSection(input) : null}
          <p class="muted">${text.t('run_waiting_body')}</p>`,
        untilDeadline > 0 && view.link.run.show_results_between
          ? untilDeadline + AFTER_DEADLINE_MS
          : null,
      );
    }
    case 'time_up':
      return screen(
        input,
        text.t('run_time_up'),
        html`${progressLine(input)} ${questionHeaderOf(input)}
          <div role="status">
            <h2>${text.t('run_time_up')}</h2>
            <p>${text.t('run_no_answer')}</p>
          </div>
          ${nextLink(input)}`,
        Math.max(0, phase.acceptsUntil.getTime() - view.now.getTime()) + AFTER_DEADLINE_MS,
      );
    case 'starting':
      return screen(
        input,
        text.t('run_starting'),
        html`<h1>${view.link.run.title}</h1>
          <div role="status">
            <h2>${text.t('run_starting')}</h2>
            <p>${text.t('run_starting_body')}</p>
          </div>`,
        null,
      );
    case 'done':
    case 'ended': {
      const title = text.t(phase.phase === 'done' ? 'run_done' : 'run_ended');
      return screen(
        input,
        title,
        html`<h1>${view.link.run.title}</h1>
          <div role="status" id="run-final">
            <h2>${title}</h2>
            ${standingLines(input)}
            <p>${text.t('run_thanks')}</p>
          </div>`,
        null,
      );
    }
  }
}

/**
 * Right after a form post: the answer as received and how it scored; self pacing adds the link to
 * the next question, instructor pacing says the page moves on by itself.
 */
export function renderRunAnswered(
  input: RunScreenInput & { answer: StoredAnswer; nextIndex: number | null },
): string {
  const { text, view } = input;
  // Instructor pacing with results between questions: reload at the deadline to show them.
  const untilDeadline =
    'deadline' in view.phase ? view.phase.deadline.getTime() - view.now.getTime() : 0;
  const reloadMs =
    input.nextIndex === null && view.link.run.show_results_between && untilDeadline > 0
      ? untilDeadline + AFTER_DEADLINE_MS
      : null;
  return screen(
    input,
    text.t('answer_received_title', { title: view.step?.question.title ?? '' }),
    html`${progressLine(input)} ${questionHeaderOf(input)}
      <div role="status" id="confirmation">
        <h2>${text.t('answer_received')}</h2>
        ${givenAnswer(input, input.answer, true)}
      </div>
      ${
        input.nextIndex === null
          ? html`<p class="muted">${text.t('run_waiting_body')}</p>`
          : nextLink(input, input.nextIndex >= view.link.run.steps.length)
      }`,
    reloadMs,
  );
}

/** 409 on a form post naming a question that is over: nothing stored, the way to the current one. */
export function renderNotCurrent(input: Omit<RunScreenInput, 'view'> & { view?: RunView }): string {
  const { text, token } = input;
  return input.renderer.messagePage({
    text,
    title: text.t('run_not_current'),
    message: text.t('run_not_current_body'),
    backHref: `/r/${token}`,
  });
}

function questionScreen(input: RunScreenInput, remainingMs: number): string {
  const { renderer, text, token, view } = input;
  const step = view.step;
  if (!step) throw new Error('A question screen without its step');
  const questionId = questionIdOf(view);
  return renderer.questionPage(
    {
      token,
      question: pageQuestion(input),
      text,
      remainingMs,
      askIdentity: false,
      basePath: `/r/${token}`,
      hiddenFields: { question_id: questionId },
      frame: frameOf(input, remainingMs + AFTER_DEADLINE_MS, progressLine(input)),
    },
    input.query,
  );
}

function screen(
  input: RunScreenInput,
  title: string,
  body: SafeHtml,
  reloadMs: number | null,
): string {
  return input.renderer.page(
    input.text,
    title,
    html`<div class="card run-card">${body}</div>`,
    frameOf(input, reloadMs),
  );
}

function frameOf(input: RunScreenInput, reloadMs: number | null, before?: HtmlValue): PageFrame {
  const { token, view } = input;
  const data: Record<string, string> = {
    'run-version': String(view.link.run.version),
    'run-page': `/r/${token}`,
    'run-state': `/r/${token}/state`,
    'run-events': `/r/${token}/events`,
  };
  if (reloadMs !== null) data['reload-ms'] = String(Math.max(0, Math.round(reloadMs)));
  return { before, scripts: [`${RUN_PAGE_JS_PATH}?v=${RUN_PAGE_JS_VERSION}`], data };
}

function questionIdOf(view: RunView): string {
  const index = 'index' in view.phase ? view.phase.index : null;
  return index === null ? '' : view.link.run.steps[index].question_id.toHexString();
}

function pageQuestion(input: RunScreenInput): PageQuestion {
  const step = input.view.step;
  if (!step) throw new Error('A question screen without its step');
  return input.renderer.pageQuestion(step, input.view.revealed);
}

function progressLine(input: RunScreenInput): HtmlValue {
  const { view, text } = input;
  const index = 'index' in view.phase ? view.phase.index : null;
  if (index === null) return null;
  return html`<p class="run-progress" id="run-progress">
    ${text.t('run_progress', { number: index + 1, total: view.link.run.steps.length })}
  </p>`;
}

function questionHeaderOf(input: RunScreenInput): HtmlValue {
  return input.view.step ? input.renderer.questionHeader(pageQuestion(input)) : null;
}

function givenAnswer(input: RunScreenInput, answer: StoredAnswer | null, fresh = false): SafeHtml {
  const question = pageQuestion(input);
  const anonymous = input.view.link.run.anonymous;
  // An anonymous run's answer is shown only right after the post (nothing leads back to it).
  const shown = answer && (!anonymous || fresh) ? answer : null;
  if (!shown && !anonymous) return html`<p>${input.text.t('recorded')}</p>`;
  return input.renderer.answerSummary({
    question,
    text: input.text,
    answer: shown ? answerValueOf(shown) : null,
    correct: shown?.correct ?? null,
    score: shown?.score ?? 0,
  });
}

function nextLink(input: RunScreenInput, last = false): SafeHtml {
  return html`<p>
    <a class="button-link" id="next-question" href="/r/${input.token}"
      >${input.text.t(last ? 'run_finish' : 'run_next')}</a
    >
  </p>`;
}

function resultsSection(input: RunScreenInput): HtmlValue {
  const { results, text } = input;
  if (!results) return null;
  const question = input.view.step?.question;
  const label = (index: number, written: string): string =>
    question?.type === 'true_false' ? text.t(index === 0 ? 'true_label' : 'false_label') : written;
  // The right option is marked only once the instructor revealed it (as the answer page does).
  const options = results.options.map(
    (option) =>
      html`<li class="result-row${option.correct && input.view.revealed ? ' right' : ''}">
        <span class="result-label">${label(option.index, option.text)}</span>
        <span class="result-count"
          >${text.number(option.count)} (${text.number(option.percent)} %)</span
        >
        <meter min="0" max="100" value="${option.percent}" aria-hidden="true"></meter>
      </li>`,
  );
  return html`<section class="class-results" aria-labelledby="class-results-title">
    <h2 id="class-results-title">${text.t('run_class_results')}</h2>
    <p>
      ${text.plural('run_answers', results.answered, { count: results.answered })}${
        results.correct_percent === null
          ? null
          : html` · ${text.t('run_right_share', { percent: results.correct_percent })}`
      }
    </p>
    ${
      options.length > 0
        ? html`<ul class="result-rows">
            ${options}
          </ul>`
        : null
    }
  </section>`;
}

function standingLines(input: RunScreenInput): HtmlValue {
  const { text, view, standing } = input;
  if (view.link.run.anonymous) return html`<p>${text.t('run_anonymous_end')}</p>`;
  if (!standing) return null;
  return html`<p class="result" id="run-total">
      ${text.plural('run_total', standing.total, { score: standing.total })}
    </p>
    ${
      standing.rank === null
        ? null
        : html`<p id="run-rank">
            ${text.t('run_rank', { rank: standing.rank, count: standing.of })}
          </p>`
    }`;
}
