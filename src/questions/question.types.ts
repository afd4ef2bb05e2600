/** The question bank's constants, used by the schema, the DTOs (and their OpenAPI docs) and the service. */

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** What an omitted optional field becomes on create, and on PUT (which replaces the question). */
export const QUESTION_DEFAULTS = {
  correct_answer: null,
  time_limit: 30,
  points: 10,
  difficulty: 'medium',
  category: 'general',
  tags: [],
} as const satisfies {
  correct_answer: null;
  time_limit: number;
  points: number;
  difficulty: Difficulty;
  category: string;
  tags: readonly string[];
};
