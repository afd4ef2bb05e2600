import { ZOOM_CHAT_MESSAGE_MAX_LENGTH } from '../zoom/zoom-chat.service';
import { composeLinkMessage, composeQuestionMessage } from './message-composer';
import { questionSnapshot } from './broadcast.types';

const question = questionSnapshot({
  title: 'Capital',
  question_text: 'What is the capital of France?',
  options: ['Berlin', 'Paris'],
  correct_answer: 1,
  time_limit: 30,
  points: 10,
});
const link = 'https://quiz.example.com/q/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';

describe('message composer', () => {
  it('keeps a short question whole with its link', () => {
    const text = composeQuestionMessage(question, link);
    expect(text).toContain(question.question_text);
    expect(text).toContain(question.title);
    expect(text.endsWith(link)).toBe(true);
  });

  it('shortens a long question text, never the link, to exactly fit 1024', () => {
    const text = composeQuestionMessage({ ...question, question_text: 'x'.repeat(2000) }, link);
    expect(text.length).toBe(ZOOM_CHAT_MESSAGE_MAX_LENGTH);
    expect(text.endsWith(link)).toBe(true);
    expect(text).toContain('x…');
  });

  it('also shortens the title when the text alone cannot make room', () => {
    const longLink = `${link}?${'p'.repeat(800)}`;
    const text = composeQuestionMessage(
      { ...question, title: 't'.repeat(200), question_text: 'q'.repeat(2000) },
      longLink,
    );
    expect(text.length).toBeLessThanOrEqual(ZOOM_CHAT_MESSAGE_MAX_LENGTH);
    expect(text.endsWith(longLink)).toBe(true);
    // The question text gave way entirely, then the title was cut (not dropped).
    expect(text).not.toContain('qq');
    expect(text).toMatch(/Live question: t+…\n/);
  });

  it('tells a reminder how long is left, not the full time limit', () => {
    const text = composeQuestionMessage(question, link, 12);
    expect(text).toMatch(/^⏰ Reminder/);
    expect(text).toContain('Answer in the next 12 s');
    expect(text).not.toContain('30 s');
  });

  it('does not split an emoji when cutting', () => {
    const text = composeQuestionMessage({ ...question, question_text: '😀'.repeat(1000) }, link);
    expect(text.length).toBeLessThanOrEqual(ZOOM_CHAT_MESSAGE_MAX_LENGTH);
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('refuses a link that cannot fit at all', () => {
    expect(() => composeLinkMessage(null, `https://x.example/${'a'.repeat(1100)}`)).toThrow(
      /longer than Zoom/,
    );
  });

  it('puts the instructor message before a link and shortens the message first', () => {
    expect(composeLinkMessage('Quiz time!', link)).toBe(`Quiz time!\n${link}`);
    const text = composeLinkMessage('m'.repeat(3000), link);
    expect(text.length).toBe(ZOOM_CHAT_MESSAGE_MAX_LENGTH);
    expect(text.endsWith(link)).toBe(true);
  });
});
