import { ZOOM_CHAT_MESSAGE_MAX_LENGTH } from '../zoom/zoom-chat.service';
import type { QuestionSnapshot } from './broadcast.types';

const ELLIPSIS = '…';

/**
 * Builds the chat text so it always fits Zoom's limit (ZOOM_CHAT_MESSAGE_MAX_LENGTH): the link is never shortened
 * (a cut link is useless); the question text gives way first, then the title. Lengths are
 * counted in UTF-16 units, which is at least the number of characters Zoom counts.
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
  return fit([head, question.title, '\n', question.question_text, tail], [3, 1]);
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
