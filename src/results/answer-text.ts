import type { QuestionBody } from '../question-types/question-types';
import type { TallyAnswer } from './type-tally';

/**
 * An answer in words, for the results' rows and the CSV: "Paris", "Paris; Rome", "7", "3.5 km",
 * the text, "1. B, 2. A, 3. C". '' when the answer lacks its type's value.
 */
export function answerText(q: QuestionBody, a: TallyAnswer): string {
  const option = (i: number): string => q.options[i] ?? String(i);
  switch (q.type) {
    case 'single':
    case 'true_false':
      return typeof a.choice === 'number' ? option(a.choice) : '';
    case 'multiple':
      return (a.choices ?? []).map(option).join('; ');
    case 'rating':
      return typeof a.value === 'number' ? String(a.value) : '';
    case 'numeric':
      return typeof a.value === 'number' ? `${a.value}${q.unit ? ` ${q.unit}` : ''}` : '';
    case 'text':
      return a.text ?? '';
    case 'ranking':
      return (a.order ?? []).map((i, place) => `${place + 1}. ${option(i)}`).join(', ');
  }
}
