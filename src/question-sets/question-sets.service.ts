import { Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';
import type { Actor } from '../common/auth/actor';
import type { SetForRun } from './question-set.types';

/**
 * Question sets (issue 16): a title, an ordered list of bank questions and how a run of them is
 * paced; owned like questions (another instructor's set answers 404).
 */
@Injectable()
export class QuestionSetsService {
  /**
   * The set with a snapshot of each of its questions, for a run about to start: 404 when the
   * actor may not see the set; 409 naming the questions the bank no longer has (or the actor
   * may no longer see), so a run never starts with a hole in it.
   */
  forRun(actor: Actor, setId: Types.ObjectId): Promise<SetForRun> {
    void actor;
    void setId;
    return Promise.reject(new Error('forRun: not implemented yet (issue 16, branch sets)'));
  }
}
