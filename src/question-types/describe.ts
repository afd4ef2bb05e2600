import type { AnswerValue, QuestionBody } from './question-types';

/**
 * One answer in words, for the CSV and the answer page's confirmation: the chosen options' texts
 * ("Paris", "Paris; Rome"), the number with its unit ("3.5 km"), the text as typed, or the ranking
 * ("1. B, 2. A, 3. C"). `formatNumber` lets a page write numbers its reader's way; `optionText` lets
 * it show translated labels (true/false). Empty when the value does not fit the question.
 */
export function describeAnswer(
  q: QuestionBody,
  a: AnswerValue,
  formatNumber: (n: number) => string = String,
  optionText: (index: number) => string = (index) => q.options[index] ?? '',
): string {
  switch (q.type) {
    case 'single':
    case 'true_false':
      return a.choice === undefined ? '' : optionText(a.choice);
    case 'multiple':
      return (a.choices ?? []).map(optionText).join('; ');
    case 'rating':
      return a.value === undefined ? '' : formatNumber(a.value);
    case 'numeric':
      return a.value === undefined ? '' : formatNumber(a.value) + (q.unit ? ` ${q.unit}` : '');
    case 'text':
      return a.text ?? '';
    case 'ranking':
      return (a.order ?? [])
        .map((option, position) => `${formatNumber(position + 1)}. ${optionText(option)}`)
        .join(', ');
  }
}
