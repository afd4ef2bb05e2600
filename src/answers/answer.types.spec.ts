import { Types } from 'mongoose';
import { answerValueOf, withAnswerDefaults, type StoredAnswer } from './answer.types';

const old = (correct: boolean | null): StoredAnswer => ({
  _id: new Types.ObjectId(),
  broadcast_id: new Types.ObjectId(),
  meeting_id: '123456789',
  recipient_key: 'u-ada',
  name: 'Ada',
  email: 'ada@example.com',
  delivery_id: new Types.ObjectId(),
  choice: 1,
  correct,
  score: correct ? 10 : 0,
  answered_at: new Date(0),
  latency_ms: 1200,
});

describe('withAnswerDefaults: answers stored before question types and anonymous questions', () => {
  it('reads credit from correct (right 1, wrong 0, survey null), English, not anonymous', () => {
    expect(withAnswerDefaults(old(true))).toMatchObject({
      credit: 1,
      lang: 'en',
      anonymous: false,
      self_reported: false,
    });
    expect(withAnswerDefaults(old(false)).credit).toBe(0);
    expect(withAnswerDefaults(old(null)).credit).toBeNull();
  });

  it('keeps the fields a newer answer has', () => {
    const partial = { ...old(false), credit: 0.5, lang: 'fr' as const, anonymous: true };
    expect(withAnswerDefaults(partial)).toMatchObject({ credit: 0.5, lang: 'fr', anonymous: true });
  });
});

describe('answerValueOf', () => {
  it('takes only the value fields the answer has', () => {
    expect(answerValueOf(old(true))).toEqual({ choice: 1 });
    expect(answerValueOf({ choices: [0, 2] })).toEqual({ choices: [0, 2] });
    expect(answerValueOf({ value: 0 })).toEqual({ value: 0 });
    expect(answerValueOf({ text: '', order: [1, 0] })).toEqual({ text: '', order: [1, 0] });
  });
});
