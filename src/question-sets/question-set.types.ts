import type { Types } from 'mongoose';
import type { QuestionSnapshot } from '../broadcasts/broadcast.types';
import type { RunPacing } from '../runs/run.types';

/**
 * What a run takes from a question set when it starts (issue 16): the set's settings and a
 * snapshot of each of its questions as the bank holds them now, in the set's order. Editing the
 * bank or the set afterwards changes no run already started.
 */
export interface SetForRun {
  id: Types.ObjectId;
  title: string;
  owner_id: string | null;
  pacing: RunPacing;
  show_results_between: boolean;
  anonymous: boolean;
  speed_scoring: boolean;
  auto_advance_seconds: number | null;
  questions: ReadonlyArray<{ question_id: Types.ObjectId; question: QuestionSnapshot }>;
}
