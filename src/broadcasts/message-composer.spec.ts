import { ZOOM_CHAT_MESSAGE_MAX_LENGTH } from '../zoom/zoom-chat.service';
import {
  composeLinkMessage,
  composeQuestionMessage,
  composeRunMessage,
  expectedAnswer,
} from './message-composer';
import { questionSnapshot, type QuestionSnapshot } from './broadcast.types';

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

  describe('says what kind of answer each type expects', () => {
    const of = (fields: Partial<QuestionSnapshot>): QuestionSnapshot =>
      questionSnapshot({ ...question, options: [], correct_answer: null, ...fields });

    it.each<[string, Partial<QuestionSnapshot>, string]>([
      [
        'single',
        { type: 'single', options: ['Berlin', 'Paris'] },
        'Choose one:\n• Berlin\n• Paris',
      ],
      [
        'multiple, any number',
        { type: 'multiple', options: ['A', 'B', 'C'], correct_answers: [0] },
        'Choose all that apply:\n• A\n• B\n• C',
      ],
      [
        'multiple, at most 2',
        { type: 'multiple', options: ['A', 'B', 'C'], max_choices: 2 },
        'Choose up to 2:\n• A\n• B\n• C',
      ],
      [
        'multiple, at most 1',
        { type: 'multiple', options: ['A', 'B'], max_choices: 1 },
        'Choose one:\n• A\n• B',
      ],
      ['true_false', { type: 'true_false' }, 'True or false?'],
      [
        'rating',
        { type: 'rating', scale: { min: 1, max: 5, min_label: null, max_label: null } },
        'Rate 1–5',
      ],
      [
        'rating with labels',
        { type: 'rating', scale: { min: 0, max: 10, min_label: 'Never', max_label: null } },
        'Rate from 0 (Never) to 10',
      ],
      ['numeric', { type: 'numeric' }, 'Type a number'],
      [
        'numeric with a unit',
        { type: 'numeric', correct_value: 3, unit: 'km' },
        'Type a number (km)',
      ],
      ['text', { type: 'text', max_length: 200 }, 'Type a short answer'],
      ['ranking', { type: 'ranking', options: ['X', 'Y'] }, 'Put the options in order:\n• X\n• Y'],
    ])('%s', (_name, fields, hint) => {
      const q = of(fields);
      expect(expectedAnswer(q)).toBe(hint);
      const text = composeQuestionMessage(q, link);
      expect(text).toBe(
        `📝 Live question: Capital\nWhat is the capital of France?\n${hint}\nAnswer within 30 s: ${link}`,
      );
    });

    it('a question stored before types (no type) lists its options as single', () => {
      const old = questionSnapshot({
        title: 'Old',
        question_text: 'Q?',
        options: ['Yes', 'No'],
        time_limit: 30,
        points: 10,
      });
      expect(composeQuestionMessage(old, link)).toContain('Choose one:\n• Yes\n• No\n');
    });

    it('gives way first when the message is too long, before the question text', () => {
      const options = Array.from({ length: 10 }, (_, i) => `${i}`.repeat(200));
      const q = of({ type: 'ranking', options, question_text: 'Keep me whole' });
      const text = composeQuestionMessage(q, link);
      expect(text.length).toBe(ZOOM_CHAT_MESSAGE_MAX_LENGTH);
      expect(text).toContain('\nKeep me whole\nPut the options in order:\n• 0000');
      expect(text).toMatch(/…\nAnswer within 30 s: /);
      expect(text.endsWith(link)).toBe(true);
    });
  });

  describe('a run of a question set (issue 16)', () => {
    const runLink = 'https://quiz.example.com/r/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';

    it('names the set, counts its questions and ends with the run link', () => {
      const text = composeRunMessage('Week 3 quiz', 5, runLink);
      expect(text).toContain('Week 3 quiz');
      expect(text).toContain('5 questions');
      expect(text.endsWith(runLink)).toBe(true);
      expect(composeRunMessage('One', 1, runLink)).toContain('1 question,');
    });

    it('shortens a long title, never the link, to fit Zoom', () => {
      const text = composeRunMessage('t'.repeat(3000), 12, runLink);
      expect(text.length).toBe(ZOOM_CHAT_MESSAGE_MAX_LENGTH);
      expect(text.endsWith(runLink)).toBe(true);
      expect(text).toContain('12 questions');
      expect(text).toContain('t…');
    });

    it('refuses a link that alone cannot fit', () => {
      expect(() => composeRunMessage('x', 2, `${runLink}?${'p'.repeat(1100)}`)).toThrow(/limit/);
    });
  });
});
