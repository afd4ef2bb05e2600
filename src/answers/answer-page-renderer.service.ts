import { Injectable } from '@nestjs/common';
import type { SentQuestionBroadcast } from '../broadcasts/broadcast.types';
import type { SafeHtml } from '../common/html/html';
import type { Language } from '../common/i18n/languages';
import { answerHtmlHeaders, answerPageHeaders } from './answer-page.headers';
import {
  answerSummary,
  layout,
  questionHeader,
  renderMessagePage,
  renderQuestionPage,
  type AnsweredPageInput,
  type MessagePageInput,
  type PageFrame,
  type PageQuestion,
  type QuestionPageInput,
} from './page/answer-page.view';
import { pageTextFor, type PageText } from './page/i18n/page-text';
import { rankingMoveState } from './page/ranking-moves';

/**
 * The answer page's rendering for other modules (a run's page, src/runs): the question in its
 * type's form, the confirmation of an answer, message pages and the shared document around them,
 * in the request's language, with the participant pages' headers. One rendering of every question
 * type, wherever it is answered.
 */
@Injectable()
export class AnswerPageRenderer {
  /** The page's words for a request (Accept-Language, English otherwise). */
  textFor(request: { headers: Record<string, string | string[] | undefined> }): PageText {
    return pageTextFor(request);
  }

  /** A question broadcast's snapshot as the page shows it. */
  pageQuestion(broadcast: SentQuestionBroadcast, revealed: boolean): PageQuestion {
    return { ...broadcast.question, anonymous: broadcast.anonymous, revealed };
  }

  /** The question page; `query` carries a ranking move made without JavaScript. */
  questionPage(input: QuestionPageInput, query?: unknown): string {
    return renderQuestionPage({ ...input, ...rankingMoveState(input.question, query) });
  }

  answerSummary(
    input: Pick<AnsweredPageInput, 'question' | 'text' | 'correct' | 'score' | 'answer'>,
  ): SafeHtml {
    return answerSummary(input);
  }

  questionHeader(question: PageQuestion): SafeHtml {
    return questionHeader(question);
  }

  messagePage(input: MessagePageInput): string {
    return renderMessagePage(input);
  }

  /** A page of the caller's own content in the participant pages' document. */
  page(text: PageText, title: string, body: SafeHtml, frame?: PageFrame): string {
    return layout(text, title, body, frame);
  }

  htmlHeaders(language: Language): Record<string, string> {
    return answerHtmlHeaders(language);
  }

  jsonHeaders(): Record<string, string> {
    return answerPageHeaders();
  }
}
