import { answerValueOf } from '../answers/answer.types';
import { describeAnswer } from '../question-types/describe';
import type { QuestionBody } from '../question-types/question-types';
import type { TallyAnswer } from './type-tally';

/** An answer in words, for the results' rows and the CSV (describeAnswer: one rule for it). */
export const answerText = (q: QuestionBody, a: TallyAnswer): string =>
  describeAnswer(q, answerValueOf(a));
