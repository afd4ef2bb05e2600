import { Injectable } from '@nestjs/common';
import { MeetingAccessService } from '../access/meeting-access.service';
import { AnswerRecordsService } from '../answers/answer-records.service';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import { CoursesService } from '../courses/courses.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ParticipantsService } from '../participants/participants.service';
import { RunsService } from '../runs/runs.service';
import type { ErasedCountsDto } from './dto/erase-person.dto';

/**
 * The right to erasure (docs/architecture.md §14): one person's participant records, deliveries
 * and answers in every meeting, the meetings Zoom said they host, their line in course rosters, and their places in runs. Who they are to Zoom (user ids, person keys) is read from the
 * participant records given with their email; those go last, so an erasure cut short and asked
 * again still finds everything else.
 */
@Injectable()
export class ErasureService {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly broadcasts: BroadcastsService,
    private readonly answers: AnswerRecordsService,
    private readonly idempotency: IdempotencyService,
    private readonly access: MeetingAccessService,
    private readonly courses: CoursesService,
    private readonly runs: RunsService,
  ) {}

  async erase(email: string): Promise<ErasedCountsDto> {
    const person = await this.participants.identityOf(email);
    const answers = await this.answers.erasePerson(person);
    const deliveries = await this.broadcasts.erasePerson(person);
    const idempotencyKeys = await this.idempotency.erasePerson(person);
    const meetingHosts = await this.access.erasePerson(person);
    const rosterEntries = await this.courses.erasePerson(person);
    const runProgress = await this.runs.erasePerson(person);
    const participants = await this.participants.erasePerson(person);
    return {
      participants,
      deliveries,
      answers,
      idempotency_keys: idempotencyKeys,
      meeting_hosts: meetingHosts,
      roster_entries: rosterEntries,
      run_progress: runProgress,
    };
  }
}
