import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { MeetingAccessService } from '../access/meeting-access.service';
import type { Actor } from '../common/auth/actor';
import { ZoomLiveParticipant, ZoomMeetingsService } from '../zoom/zoom-meetings.service';
import { OccurrencesRepository } from './occurrences.repository';
import { MeetingKind, ParticipantIdentity } from './participant-events';
import { ParticipantRecord, ParticipantsRepository } from './participants.repository';
import { ParticipantsService } from './participants.service';

/**
 * A join that Zoom's live list omits is closed only if it started at least this long before the
 * snapshot: the dashboard list may lag a fresh join (*inferred*, not documented by Zoom), and
 * closing a present person would cost them the question.
 */
const ABSENCE_GRACE_MS = 60_000;

/** Zoom's times are whole seconds; a leave is placed at the end of its second (see sync). */
const SECOND_MS = 1000;

export interface SyncResult {
  meeting_id: string;
  meeting_uuid: string;
  added: number;
  closed: number;
  unchanged: number;
  total: number;
}

/**
 * Reconciles the records with Zoom's live participant list (docs/zoom.md §5), for when webhooks were
 * missed or the service was down. It feeds the snapshot through the same event-ts rule as the
 * webhooks, so it never overrides newer webhook information: a listed join or leave is an event
 * at Zoom's own join/leave time (webhook event_ts are those moments too), and a join Zoom no
 * longer lists is closed by a leave at the snapshot time, which any later webhook still beats.
 */
@Injectable()
export class ParticipantsSyncService {
  private readonly logger = new Logger(ParticipantsSyncService.name);

  constructor(
    private readonly zoom: ZoomMeetingsService,
    private readonly participants: ParticipantsService,
    private readonly records: ParticipantsRepository,
    private readonly occurrences: OccurrencesRepository,
    private readonly access: MeetingAccessService,
  ) {}

  /** For those who may read the meeting: it only brings the records up to what Zoom says. */
  async sync(actor: Actor, meetingId: string): Promise<SyncResult> {
    await this.access.require(actor, meetingId, 'read');
    const snapshotTs = Date.now();
    const [meeting, live] = await Promise.all([
      this.zoom.getMeeting(meetingId),
      this.zoom.listLiveParticipants(meetingId),
    ]);
    const known = await this.occurrences.current(meetingId);
    const uuid = meeting.uuid ?? known?.uuid ?? null;
    if (uuid === null) {
      throw new ConflictException(
        `Zoom gave no occurrence UUID for meeting ${meetingId} and no webhook has named one: is it running?`,
      );
    }
    const kind: MeetingKind = known?.kind ?? 'meeting';
    const scope = { meeting_id: meetingId, meeting_uuid: uuid };
    const endedTs = async () => (await this.occurrences.find(meetingId, uuid))?.ended_ts ?? null;
    const before = statusByKey(await this.records.findByOccurrence(scope, await endedTs()));

    const listed = new Set<string>();
    for (const row of live) {
      const identity = identityOf(row);
      const key = identity.participant_uuid ?? identity.user_id;
      if (key === null) continue;
      listed.add(key);
      const joinTs = row.joinTime?.getTime() ?? snapshotTs;
      const base = { meetingId, meetingUuid: uuid, meetingKind: kind, participant: identity };
      // A row in the waiting room is not in the meeting (docs/zoom.md §7): its join_time is
      // taken as the time it entered the waiting room.
      await this.participants.recordParticipantEvent({
        ...base,
        kind: row.inWaitingRoom ? 'waiting' : 'joined',
        ts: joinTs,
        time: row.joinTime,
      });
      if (row.leaveTime !== null) {
        await this.participants.recordParticipantEvent({
          ...base,
          kind: 'left',
          ts: row.leaveTime.getTime() + SECOND_MS - 1,
          time: row.leaveTime,
        });
      }
    }
    await this.correctWaitingRoom(scope, kind, live, snapshotTs, await endedTs());
    for (const [key, record] of before) {
      // Absent from Zoom's list: out of the meeting and out of its waiting room.
      if (listed.has(key) || record.status === 'left') continue;
      const since = Math.max(record.join_ts ?? 0, record.waiting_ts ?? 0);
      if (since > snapshotTs - ABSENCE_GRACE_MS) continue;
      await this.records.applyLeave(
        { ...scope, participant_key: key },
        snapshotTs,
        new Date(snapshotTs),
      );
    }

    const after = statusByKey(await this.records.findByOccurrence(scope, await endedTs()));
    let added = 0;
    let closed = 0;
    let unchanged = 0;
    for (const [key, record] of after) {
      const was = before.get(key)?.status ?? null;
      if (record.status === 'joined' && was !== 'joined') added++;
      else if (record.status === 'left' && was === 'joined') closed++;
      else unchanged++;
    }
    const total = (await this.participants.currentPeople(meetingId)).length;
    this.logger.log(
      `Sync of meeting ${meetingId}: ${live.length} listed by Zoom, ${added} added, ${closed} closed`,
    );
    return { meeting_id: meetingId, meeting_uuid: uuid, added, closed, unchanged, total };
  }

  /**
   * A join Zoom lists in the meeting while the record says waiting room (or the reverse) means a
   * missed admit (or put-back) webhook: the listed status is applied as an event at the snapshot
   * time, which any later webhook still beats. Only when the record's newest event is older than
   * the grace, as for absences: the dashboard may lag a fresh admit.
   */
  private async correctWaitingRoom(
    scope: { meeting_id: string; meeting_uuid: string },
    meetingKind: MeetingKind,
    live: ZoomLiveParticipant[],
    snapshotTs: number,
    endedTs: number | null,
  ): Promise<void> {
    const now = statusByKey(await this.records.findByOccurrence(scope, endedTs));
    for (const row of live) {
      if (row.leaveTime !== null) continue;
      const identity = identityOf(row);
      const key = identity.participant_uuid ?? identity.user_id;
      const record = key === null ? undefined : now.get(key);
      if (!record || record.last_event_ts > snapshotTs - ABSENCE_GRACE_MS) continue;
      const listed = row.inWaitingRoom ? 'waiting' : 'joined';
      if (record.status === listed || record.status === 'left') continue;
      await this.participants.recordParticipantEvent({
        meetingId: scope.meeting_id,
        meetingUuid: scope.meeting_uuid,
        meetingKind,
        participant: identity,
        kind: listed,
        ts: snapshotTs,
        time: row.joinTime,
      });
    }
  }
}

function statusByKey(records: ParticipantRecord[]): Map<string, ParticipantRecord> {
  return new Map(records.map((r) => [r.participant_key, r]));
}

function identityOf(row: ZoomLiveParticipant): ParticipantIdentity {
  return {
    user_id: row.userId === '' ? null : row.userId,
    participant_uuid: row.participantUuid,
    zoom_user_id: row.zoomUserId,
    name: row.name,
    email: row.email !== null && row.email.includes('@') ? row.email : null,
    raw_data: null,
  };
}
