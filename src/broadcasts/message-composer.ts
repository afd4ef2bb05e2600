import type { QuestionBody } from '../question-types/question-types';
import { ZOOM_CHAT_MESSAGE_MAX_LENGTH } from '../zoom/zoom-chat.service';
import type { QuestionSnapshot } from './broadcast.types';

const ELLIPSIS = '…';

/**
 * Builds the chat text so it always fits Zoom's limit (ZOOM_CHAT_MESSAGE_MAX_LENGTH): the link is
 * never shortened (a cut link is useless); what kind of answer is expected gives way first (the
 * page says it again), then the question text, then the title. Lengths are counted in UTF-16
 * units, which is at least the number of characters Zoom counts.
 */
export function composeQuestionMessage(
  question: QuestionSnapshot,
  link: string,
  /** For a reminder: the seconds left in the recipient's window (it never restarts). */
  reminderSecondsLeft: number | null = null,
): string {
  const reminder = reminderSecondsLeft !== null;
  const head = reminder ? '⏰ Reminder, still open: ' : '📝 Live question: ';
  const seconds = reminder ? reminderSecondsLeft : question.time_limit;
  const tail = `\n${reminder ? 'Answer in the next' : 'Answer within'} ${seconds} s: ${link}`;
  return fit(
    [head, question.title, '\n', question.question_text, '\n', expectedAnswer(question), tail],
    [5, 3, 1],
  );
}

/**
 * In a few words, what kind of answer the question wants, so the chat alone says what the link
 * will ask: the options for the types that pick from them, the scale, the unit.
 */
export function expectedAnswer(question: QuestionBody): string {
  const list = (options: readonly string[]) => options.map((o) => `\n• ${o}`).join('');
  switch (question.type) {
    case 'single':
      return `Choose one:${list(question.options)}`;
    case 'multiple': {
      const max = question.max_choices;
      const how =
        max === null || max >= question.options.length
          ? 'Choose all that apply'
          : max === 1
            ? 'Choose one'
            : `Choose up to ${max}`;
      return `${how}:${list(question.options)}`;
    }
    case 'true_false':
      return 'True or false?';
    case 'rating': {
      const scale = question.scale;
      if (scale === null) return 'Give a rating';
      const end = (value: number, label: string | null) =>
        label === null ? String(value) : `${value} (${label})`;
      return scale.min_label === null && scale.max_label === null
        ? `Rate ${scale.min}–${scale.max}`
        : `Rate from ${end(scale.min, scale.min_label)} to ${end(scale.max, scale.max_label)}`;
    }
    case 'numeric':
      return question.unit === null ? 'Type a number' : `Type a number (${question.unit})`;
    case 'text':
      return 'Type a short answer';
    case 'ranking':
      return `Put the options in order:${list(question.options)}`;
  }
}

/**
 * Issue 16: the one message of a run of a question set: its title, how many questions, and the
 * person's run link, which leads through every question of the run. Only the title gives way
 * (the link is never cut, and the count is what tells people to keep the link open).
 */
export function composeRunMessage(title: string, questionCount: number, link: string): string {
  const questions = questionCount === 1 ? '1 question' : `${questionCount} questions`;
  return fit(
    [
      '📋 Quiz: ',
      title,
      `\n${questions}, one after another on one page. Keep this link open until the end: ${link}`,
    ],
    [1],
  );
}

export function composeLinkMessage(message: string | null, link: string): string {
  return fit([message ?? 'A question from your instructor:', '\n', link], [0]);
}

/** Joins parts, shortening the parts at `shrinkable` indices (in order) until the whole fits. */
function fit(parts: string[], shrinkable: number[]): string {
  const out = [...parts];
  for (const index of shrinkable) {
    const excess = out.join('').length - ZOOM_CHAT_MESSAGE_MAX_LENGTH;
    if (excess <= 0) break;
    const keep = Math.max(0, out[index].length - excess - ELLIPSIS.length);
    out[index] = keep > 0 ? truncate(out[index], keep) + ELLIPSIS : '';
  }
  const text = out.join('');
  if (text.length > ZOOM_CHAT_MESSAGE_MAX_LENGTH) {
    throw new Error(
      `The link alone is longer than Zoom's ${ZOOM_CHAT_MESSAGE_MAX_LENGTH}-character message limit`,
    );
  }
  return text;
}

/** Cuts without splitting a surrogate pair (an emoji cut in half renders as garbage). */
function truncate(text: string, length: number): string {
  const cut = text.slice(0, length);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
