import { scoreAnswer } from './scoring';

const quiz = { correct_answer: 1, points: 1000, time_limit: 20 };

describe('scoreAnswer', () => {
  it('gives full points for a right answer at latency 0, with or without speed scoring', () => {
    expect(scoreAnswer(quiz, 1, 0, true)).toEqual({ correct: true, score: 1000 });
    expect(scoreAnswer(quiz, 1, 0, false)).toEqual({ correct: true, score: 1000 });
  });

  it('falls linearly to half the points at the deadline', () => {
    expect(scoreAnswer(quiz, 1, 5_000, true).score).toBe(875);
    expect(scoreAnswer(quiz, 1, 10_000, true).score).toBe(750);
    expect(scoreAnswer(quiz, 1, 20_000, true).score).toBe(500);
  });

  it('never goes below half: answers in the grace period score as at the deadline', () => {
    expect(scoreAnswer(quiz, 1, 21_500, true).score).toBe(500);
  });

  it('treats a negative latency (clock skew between instances) as instant', () => {
    expect(scoreAnswer(quiz, 1, -50, true).score).toBe(1000);
  });

  it('rounds to an integer', () => {
    // 10 points, 7 s of 30: 10 × (1 − 7/60) = 8.833…
    expect(scoreAnswer({ correct_answer: 0, points: 10, time_limit: 30 }, 0, 7_000, true)).toEqual({
      correct: true,
      score: 9,
    });
    expect(Number.isInteger(scoreAnswer(quiz, 1, 1_234, true).score)).toBe(true);
  });

  it('without speed scoring a right answer earns full points at any latency', () => {
    expect(scoreAnswer(quiz, 1, 19_999, false).score).toBe(1000);
  });

  it('a wrong answer scores 0 and is marked wrong', () => {
    expect(scoreAnswer(quiz, 0, 100, true)).toEqual({ correct: false, score: 0 });
  });

  it('a survey question (correct_answer null) scores nothing and has correct = null', () => {
    expect(scoreAnswer({ ...quiz, correct_answer: null }, 2, 100, true)).toEqual({
      correct: null,
      score: 0,
    });
  });

  it('a question worth 0 points scores 0 even when right', () => {
    expect(scoreAnswer({ ...quiz, points: 0 }, 1, 0, true)).toEqual({ correct: true, score: 0 });
  });
});
