/** What the scorer needs from the question snapshot a broadcast carries. */
export interface ScoringQuestion {
  /** Index of the right option, or null for a survey question (no right answer). */
  correct_answer: number | null;
  points: number;
  /** Seconds each recipient has to answer, from the moment their message was sent. */
  time_limit: number;
}

export interface Score {
  /** null for a survey question: there is nothing to be right or wrong about. */
  correct: boolean | null;
  score: number;
}

/**
 * Kahoot's rule: a right answer earns the question's points; with speed scoring the award falls
 * linearly from full points at latency 0 to half the points at the deadline. Answers accepted in
 * the grace period after the deadline score as if given at the deadline, never less. Integers
 * only, so totals on a leaderboard add up exactly.
 */
export function scoreAnswer(
  question: ScoringQuestion,
  choice: number,
  latencyMs: number,
  speedScoring: boolean,
): Score {
  if (question.correct_answer === null) return { correct: null, score: 0 };
  const correct = choice === question.correct_answer;
  if (!correct) return { correct, score: 0 };
  if (!speedScoring) return { correct, score: question.points };
  const windowMs = question.time_limit * 1000;
  const fraction = windowMs > 0 ? Math.min(1, Math.max(0, latencyMs) / windowMs) : 1;
  return { correct, score: Math.round(question.points * (1 - fraction / 2)) };
}
