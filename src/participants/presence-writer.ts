import { Injectable } from '@nestjs/common';
import { GroupCommit } from '../database/group-commit';
import { OccurrencesRepository, OccurrenceWrite } from './occurrences.repository';
import { OccurrenceEvent, ParticipantEvent } from './participant-events';
import { ParticipantsRepository } from './participants.repository';

/** Events written in one batch at most (one bulk write per collection). */
const MAX_BATCH = 1000;

type PresenceWrite =
  { kind: 'participant'; event: ParticipantEvent } | { kind: 'occurrence'; event: OccurrenceEvent };

/**
 * The ingest path's writes, by group commit (docs/architecture.md §16): the participant and
 * meeting events that arrive while a batch is being written go together in the next one, as one
 * bulk write of join records and one of occurrences (run side by side), and each caller is
 * answered once its batch is durable, or with the error its write met. Every write is an
 * order-insensitive upsert on a unique key, so batching changes no outcome.
 */
@Injectable()
export class PresenceWriter {
  private readonly commits = new GroupCommit<PresenceWrite>(
    (batch) => this.write(batch),
    MAX_BATCH,
  );

  constructor(
    private readonly participants: ParticipantsRepository,
    private readonly occurrences: OccurrencesRepository,
  ) {}

  /** meeting.participant_* and the webinar twins, and the sync's listed joins and leaves. */
  recordParticipantEvent(event: ParticipantEvent): Promise<void> {
    return this.commits.submit({ kind: 'participant', event });
  }

  /** meeting.started / meeting.ended and the webinar twins. */
  recordOccurrenceEvent(event: OccurrenceEvent): Promise<void> {
    return this.commits.submit({ kind: 'occurrence', event });
  }

  private async write(batch: PresenceWrite[]): Promise<unknown[]> {
    const participantEvents: ParticipantEvent[] = [];
    const participantOf: number[] = [];
    // Every participant event also notes its occurrence (first_event_ts, docs/architecture.md §3).
    const occurrenceWrites: OccurrenceWrite[] = batch.map(({ kind, event }, at) => {
      if (kind === 'occurrence') return event;
      participantOf[at] = participantEvents.length;
      participantEvents.push(event);
      return {
        kind: 'touch',
        meetingId: event.meetingId,
        meetingUuid: event.meetingUuid,
        meetingKind: event.meetingKind,
        ts: event.ts,
      };
    });
    const [participantOutcomes, occurrenceOutcomes] = await Promise.all([
      this.participants.applyEvents(participantEvents),
      this.occurrences.applyEvents(occurrenceWrites),
    ]);
    return batch.map((write, at) => {
      const participant =
        write.kind === 'participant' ? participantOutcomes[participantOf[at]] : null;
      return participant ?? occurrenceOutcomes[at];
    });
  }
}
