import { ConflictException, Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import type { Actor } from '../common/auth/actor';
import type { CsvFormat } from '../common/csv/csv-format';
import type { ResultsResponseDto } from '../results/dto/results.response';
import { ResultsService } from '../results/results.service';
import type { RunResultsResponseDto } from './dto/run-results.response';
import { runResults, runResultsCsv } from './run-results';
import { RunsService } from './runs.service';

/**
 * A run's results (issue 16, docs/architecture.md §29): each question's results as its step
 * broadcast's (ResultsService, no second access check: the run's is the check), the people sent
 * the run link (the run broadcast's deliveries), and from those the per-person totals and the
 * run's leaderboard (run-results.ts).
 */
@Injectable()
export class RunResultsService {
  constructor(
    private readonly runs: RunsService,
    private readonly questionResults: ResultsService,
    private readonly broadcasts: BroadcastsService,
  ) {}

  /** 404 for a run the actor may not see (RunsService.authorize at level 'read'). */
  async results(
    actor: Actor,
    id: Types.ObjectId,
    now = new Date(),
  ): Promise<RunResultsResponseDto> {
    const run = await this.runs.authorize(actor, id, 'read');
    if (run.state === 'starting') {
      // Its broadcasts are not all written yet (the runs worker finishes the start).
      throw new ConflictException(
        `Run ${id.toHexString()} is still starting: its results exist once it runs`,
      );
    }
    const questions: ResultsResponseDto[] = [];
    // One question at a time: a run has at most 50, each a few indexed reads.
    for (const step of run.steps)
      questions.push(await this.questionResults.resultsOf(step.broadcast_id, now));
    const deliveries = await this.broadcasts.listDeliveries(run.broadcast_id);
    return runResults({
      run,
      questions,
      recipients: deliveries.map((d) => ({
        recipient_key: d.recipient_key,
        name: d.name,
        email: d.email ?? null,
        status: d.status,
      })),
    });
  }

  async csv(actor: Actor, id: Types.ObjectId, format: CsvFormat): Promise<string> {
    return runResultsCsv(await this.results(actor, id), format);
  }
}
