import { describeAnswer } from '../question-types/describe';
import type { AnswerValue, QuestionBody } from '../question-types/question-types';
import type { TallyAnswer } from './type-tally';

/** A stored answer's value fields as an AnswerValue (stored nulls read as absent). */
export function answerValueOf(a: TallyAnswer): AnswerValue {
  const value: AnswerValue = {};
  if (typeof a.choice === 'number') value.choice = a.choice;
  if (Array.isArray(a.choices)) value.choices = a.choices;
  if (typeof a.value === 'number') value.value = a.value;
  if (typeof a.text === 'string') value.text = a.text;
  if (Array.isArray(a.order)) value.order = a.order;
  return value;
}

/** An answer in words, for the results' rows and the CSV (describeAnswer: one rule for it). */
export const answerText = (q: QuestionBody, a: TallyAnswer): string =>
  describeAnswer(q, answerValueOf(a));
