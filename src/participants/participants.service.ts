import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { emailMatcher, type PersonIdentity } from '../common/personal-data';
import { includesLevel } from '../access/access.types';
import { MeetingAccessService } from '../access/meeting-access.service';
import type { Actor } from '../common/auth/actor';
import { OccurrencesRepository, OccurrenceRecord } from './occurrences.repository';
import { OccurrenceEvent, ParticipantEvent } from './participant-events';
import { ParticipantsRepository } from './participants.repository';
import { groupByPerson, MeetingPerson, toPerson } from './people';
import { joinInterval, occurrenceEnds, unionOf, type Interval } from './presence-intervals';
import { PresenceWriter } from './presence-writer';

export type { MeetingPerson } from './people';

/** One person's time in one occurrence (course attendance, docs/architecture.md §25). */
export interface PersonPresence {
  person_key: string;
  name: string;
  email: string | null;
  zoom_user_id: string | null;
  /** Their time in the meeting: the union of their joins' intervals (ms), disjoint, sorted. */
  intervals: Interval[];
  /** Total of `intervals`, ms. */
  ms: number;
  first_join: Date;
  /** The end of their last interval; null while they are still in the meeting. */
  last_leave: Date | null;
}

/** One occurrence of a course's meetings with everyone who was in it (at least one join). */
export interface OccurrencePresence {
  meeting_id: string;
  uuid: string;
  /** Its first event's time (meeting.started, or the first join when that was missed). */
  start: Date;
  /**
   * meeting.ended's time; else the next occurrence's first event (its end never came); else now
   * (still running).
   */
  end: Date;
  ended: boolean;
  first_event_ts: number;
  people: PersonPresence[];
}

/** Who a send goes to: the meeting's current occurrence and the people in it now. */
export interface CurrentAttendees {
  occurrence_uuid: string | null;
  people: MeetingPerson[];
}

/** `waiting`: in the waiting room, not in the meeting (docs/zoom.md §7); `all`: everyone. */
export const PRESENCE_FILTERS = ['joined', 'waiting', 'left', 'all'] as const;
export type PresenceFilter = (typeof PRESENCE_FILTERS)[number];

export interface PeopleQuery {
  status?: PresenceFilter;
  limit?: number;
  cursor?: string;
  /** An earlier occurrence (history); default the current one. */
  occurrenceUuid?: string;
}

export interface PeoplePage {
  meeting_id: string;
  occurrence: OccurrenceRecord | null;
  status: PresenceFilter;
  /** People matching the status filter over all pages. */
  count: number;
  items: MeetingPerson[];
  limit: number;
  next_cursor: string | null;
}

const DEFAULT_LIMIT = 100;
/** Occurrences purged per round of the retention job. */
const PURGE_BATCH = 100;

export interface ParticipantsPurged {
  participants: number;
  meeting_occurrences: number;
}

/** ParticipantsService.events 'started': Zoom's meeting.started, once it is stored. */
export interface MeetingStartedEvent {
  meetingId: string;
  occurrenceUuid: string;
  /** When Zoom says it started (the event's `event_ts`). */
  at: Date;
}

/** ParticipantsService.events 'joined': someone joined the meeting (stored). */
export interface PersonJoinedEvent {
  meetingId: string;
}

/** How many meetings GET /api/meetings lists: the ones an instructor is running lately. */
export const RECENT_MEETINGS = 20;

/** One meeting as GET /api/meetings lists it: its current occurrence and who is in it now. */
export interface MeetingSummary {
  meeting_id: string;
  occurrence: OccurrenceRecord;
  /** People in the meeting now (one per person). */
  present: number;
  /** Of those, the ones Team Chat can reach (a message can be sent to them). */
  reachable: number;
  /** The others, by reason (a guest, no email from Zoom). */
  unreachable: Array<{ reason: string; count: number }>;
}

/**
 * Who is in a meeting, from Zoom's webhooks (and the occasional sync). Writes go through the
 * group commit of order-independent upserts (PresenceWriter); reads derive each join's presence
 * and fold joins into one entry per person.
 */
@Injectable()
export class ParticipantsService {
  /**
   * Process-local, after the durable write: 'started' (MeetingStartedEvent) and 'joined'
   * (PersonJoinedEvent) for webhooks this instance received. Listeners (the runs worker) must
   * not rely on them alone: another instance may have received the webhook.
   */
  readonly events = new EventEmitter();

  constructor(
    private readonly participants: ParticipantsRepository,
    private readonly occurrences: OccurrencesRepository,
    private readonly writer: PresenceWriter,
    private readonly access: MeetingAccessService,
  ) {
    this.events.setMaxListeners(0);
  }

  /**
   * Retention (docs/architecture.md §14): every occurrence no event has touched since before
   * `cutoff`, with all its joins. Joins go first, the occurrence last, so a run cut short finds
   * the occurrence again; an occurrence an event touches meanwhile is kept.
   */
  async purgeBefore(cutoff: Date): Promise<ParticipantsPurged> {
    const purged: ParticipantsPurged = { participants: 0, meeting_occurrences: 0 };
    for (;;) {
      const idle = await this.occurrences.idleBefore(cutoff, PURGE_BATCH);
      if (idle.length === 0) return purged;
      for (const occurrence of idle) {
        const joins = { meeting_id: occurrence.meeting_id, meeting_uuid: occurrence.uuid };
        purged.participants += await this.participants.deleteOccurrence(joins);
        purged.meeting_occurrences += await this.occurrences.deleteIfIdle(
          occurrence.meeting_id,
          occurrence.uuid,
          cutoff,
        );
      }
      this.participants.forgetKnownRanks();
    }
  }

  /**
   * Who the person with this email is to Zoom, from every join given with it: their Zoom user
   * ids and person keys (docs/architecture.md §3), for erasure.
   */
  async identityOf(email: string): Promise<PersonIdentity> {
    const lower = email.toLowerCase();
    const joins = await this.participants.identitiesWithEmail(emailMatcher(lower));
    const zoomUserIds = new Set<string>();
    const personKeys = new Set<string>([lower]);
    for (const join of joins) {
      if (join.zoom_user_id) zoomUserIds.add(join.zoom_user_id);
      personKeys.add(join.person_key);
    }
    for (const id of zoomUserIds) personKeys.add(id);
    return { email: lower, zoomUserIds: [...zoomUserIds], personKeys: [...personKeys] };
  }

  /** Erasure: every join of the person, in every meeting, by email, Zoom user id or person key. */
  async erasePerson(person: PersonIdentity): Promise<number> {
    const erased = await this.participants.deletePerson(
      emailMatcher(person.email),
      person.zoomUserIds,
      person.personKeys,
    );
    this.participants.forgetKnownRanks();
    return erased;
  }

  /**
   * meeting.participant_joined / _left, the waiting-room events and the webinar twins: durable
   * when this resolves (group commit, docs/architecture.md §16). A meeting end needs no write to
   * the joins: presence is derived from it when read (presence.ts).
   */
  async recordParticipantEvent(event: ParticipantEvent): Promise<void> {
    await this.writer.recordParticipantEvent(event);
    if (event.kind === 'joined') {
      this.events.emit('joined', { meetingId: event.meetingId } satisfies PersonJoinedEvent);
    }
  }

  /**
   * The meeting number of an occurrence this service has stored, or null: for Zoom events that
   * carry the occurrence uuid but not the meeting id (docs/zoom.md §3).
   */
  async meetingIdOfOccurrence(uuid: string): Promise<string | null> {
    return this.occurrences.meetingIdOf(uuid);
  }

  /** meeting.started / meeting.ended and the webinar twins: durable when this resolves. */
  async recordOccurrenceEvent(event: OccurrenceEvent): Promise<void> {
    await this.writer.recordOccurrenceEvent(event);
    if (event.kind === 'started') {
      const started: MeetingStartedEvent = {
        meetingId: event.meetingId,
        occurrenceUuid: event.meetingUuid,
        at: new Date(event.ts),
      };
      this.events.emit('started', started);
    }
  }

  /**
   * The people in the meeting's current occurrence now, one entry per person (broadcast
   * recipients). Empty when the meeting has not started, has ended, or is unknown.
   */
  async currentPeople(meetingId: string): Promise<MeetingPerson[]> {
    return (await this.currentAttendees(meetingId)).people;
  }

  /**
   * The meeting's current occurrence (latest first event) and when it started (meeting.started,
   * else its first event), or null: a run's start records it; an armed start waits for one that
   * started after it was armed.
   */
  async currentOccurrence(
    meetingId: string,
  ): Promise<{ uuid: string; started: Date; ended: boolean } | null> {
    const occurrence = await this.occurrences.current(meetingId);
    if (!occurrence) return null;
    return {
      uuid: occurrence.uuid,
      started: new Date(occurrence.started_ts ?? occurrence.first_event_ts),
      ended: occurrence.ended_ts !== null && occurrence.ended_ts !== undefined,
    };
  }

  /** currentPeople, with the occurrence they are in (a broadcast records it at send). */
  async currentAttendees(meetingId: string): Promise<CurrentAttendees> {
    const occurrence = await this.occurrences.current(meetingId);
    if (!occurrence) return { occurrence_uuid: null, people: [] };
    const people: MeetingPerson[] = [];
    const records = this.participants.streamByPerson(scopeOf(occurrence), {
      joinedOnly: true,
      afterPersonKey: null,
      endedTs: occurrence.ended_ts,
    });
    for await (const group of groupByPerson(records)) people.push(toPerson(group, occurrence));
    return { occurrence_uuid: occurrence.uuid, people };
  }

  /**
   * Every occurrence of these meetings, oldest first, with each person's time in it (a course's
   * attendance and gradebook, docs/architecture.md §25): one indexed read of the occurrences and
   * one per occurrence of its joins. A join still open runs to the meeting's end, else `now`.
   */
  async presenceIn(meetingIds: string[], now: Date): Promise<OccurrencePresence[]> {
    const occurrences = await this.occurrences.listForMeetings(meetingIds);
    const ends = occurrenceEnds(occurrences);
    return Promise.all(
      occurrences.map(async (occurrence) => {
        const endedTs = ends.get(`${occurrence.meeting_id}|${occurrence.uuid}`) ?? null;
        const records = await this.participants.findByOccurrence(
          scopeOf(occurrence),
          occurrence.ended_ts,
        );
        const byPerson = new Map<string, typeof records>();
        for (const r of records) {
          const group = byPerson.get(r.person_key) ?? [];
          group.push(r);
          byPerson.set(r.person_key, group);
        }
        const people: PersonPresence[] = [];
        for (const [, group] of [...byPerson].sort(([a], [b]) => (a < b ? -1 : 1))) {
          const intervals = group
            .map((r) => joinInterval(r, endedTs, now.getTime()))
            .filter((i): i is Interval => i !== null);
          if (intervals.length === 0) continue;
          const { merged, ms } = unionOf(intervals);
          const open = endedTs === null && group.some((r) => r.status === 'joined');
          const who = toPerson(group, occurrence);
          people.push({
            person_key: who.person_key,
            name: who.name,
            email: who.email,
            zoom_user_id: who.zoom_user_id,
            intervals: merged,
            ms,
            first_join: new Date(merged[0][0]),
            last_leave: open ? null : new Date(merged[merged.length - 1][1]),
          });
        }
        const startTs = occurrence.first_event_ts;
        return {
          meeting_id: occurrence.meeting_id,
          uuid: occurrence.uuid,
          start: new Date(startTs),
          end: new Date(endedTs ?? Math.max(now.getTime(), startTs)),
          ended: occurrence.ended_ts !== null,
          first_event_ts: occurrence.first_event_ts,
          people,
        };
      }),
    );
  }

  /**
   * GET /api/meetings: the meetings heard from most recently that the actor may read (as for
   * their participants), with who is in each now. A meeting whose access cannot be told now (Zoom
   * did not say who hosts it) is left out rather than failing the list.
   */
  async recentMeetings(actor: Actor, limit: number): Promise<MeetingSummary[]> {
    const recent = await this.occurrences.recentCurrent(limit);
    const readable = await Promise.all(
      recent.map((o) =>
        this.access
          .levelOf(actor, o.meeting_id, 'read')
          .then((level) => includesLevel(level, 'read'))
          .catch(() => false),
      ),
    );
    const occurrences = recent.filter((_, i) => readable[i]);
    return Promise.all(
      occurrences.map(async (occurrence) => {
        const people = await this.currentPeople(occurrence.meeting_id);
        const reasons = new Map<string, number>();
        for (const p of people) {
          if (p.reachable) continue;
          const reason = p.unreachable_reason ?? 'Team Chat cannot reach this person';
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
        return {
          meeting_id: occurrence.meeting_id,
          occurrence,
          present: people.length,
          reachable: people.filter((p) => p.reachable).length,
          unreachable: [...reasons].map(([reason, count]) => ({ reason, count })),
        };
      }),
    );
  }

  /** Whether a person (MeetingPerson.person_key) is in the meeting's current occurrence now. */
  async isPresent(meetingId: string, personKey: string): Promise<boolean> {
    const occurrence = await this.occurrences.current(meetingId);
    if (!occurrence) return false;
    return this.participants.isPersonJoined(scopeOf(occurrence), personKey, occurrence.ended_ts);
  }

  /** person_keys of everyone in the current occurrence now (non-responder lists). */
  async presentPersonKeys(meetingId: string): Promise<Set<string>> {
    const occurrence = await this.occurrences.current(meetingId);
    if (!occurrence) return new Set();
    return new Set(
      await this.participants.joinedPersonKeys(scopeOf(occurrence), occurrence.ended_ts),
    );
  }

  /** GET /api/meetings/{id}/participants: one page of people, ordered by person_key. */
  /** GET /api/meetings/{meeting_id}/participants: for those who may read the meeting. */
  async listPeople(actor: Actor, meetingId: string, query: PeopleQuery = {}): Promise<PeoplePage> {
    await this.access.require(actor, meetingId, 'read');
    const status = query.status ?? 'joined';
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = query.cursor !== undefined ? decodeCursor(query.cursor) : null;
    const occurrence =
      query.occurrenceUuid !== undefined
        ? await this.occurrences.find(meetingId, query.occurrenceUuid)
        : await this.occurrences.current(meetingId);
    if (query.occurrenceUuid !== undefined && !occurrence) {
      throw new NotFoundException(
        `Meeting ${meetingId} has no occurrence ${query.occurrenceUuid} that this service has heard of`,
      );
    }
    const empty: PeoplePage = {
      meeting_id: meetingId,
      occurrence,
      status,
      count: 0,
      items: [],
      limit,
      next_cursor: null,
    };
    if (!occurrence) return empty;

    const scope = scopeOf(occurrence);
    const items: MeetingPerson[] = [];
    let hasMore = false;
    const records = this.participants.streamByPerson(scope, {
      joinedOnly: status === 'joined',
      afterPersonKey: after,
      endedTs: occurrence.ended_ts,
    });
    for await (const group of groupByPerson(records)) {
      const person = toPerson(group, occurrence);
      if (status !== 'all' && person.status !== status) continue;
      if (items.length === limit) {
        hasMore = true;
        break;
      }
      items.push(person);
    }
    const count = await countByStatus(this.participants, scope, status, occurrence.ended_ts);
    const last = items[items.length - 1];
    return {
      ...empty,
      count,
      items,
      next_cursor: hasMore && last ? encodeCursor(last.person_key) : null,
    };
  }
}

/**
 * People per status, as toPerson folds them: joined if any join is open, else waiting if any
 * join waits, else left.
 */
async function countByStatus(
  repository: ParticipantsRepository,
  scope: { meeting_id: string; meeting_uuid: string },
  status: PresenceFilter,
  endedTs: number | null,
): Promise<number> {
  if (status === 'all') return repository.countPeople(scope, null, endedTs);
  if (status === 'joined') return repository.countPeople(scope, 'joined', endedTs);
  const [joined, waiting] = await Promise.all([
    repository.personKeysWithStatus(scope, 'joined', endedTs),
    repository.personKeysWithStatus(scope, 'waiting', endedTs),
  ]);
  const joinedSet = new Set(joined);
  const waitingOnly = waiting.filter((k) => !joinedSet.has(k)).length;
  if (status === 'waiting') return waitingOnly;
  return (await repository.countPeople(scope, null, endedTs)) - joined.length - waitingOnly;
}

function scopeOf(occurrence: OccurrenceRecord): { meeting_id: string; meeting_uuid: string } {
  return { meeting_id: occurrence.meeting_id, meeting_uuid: occurrence.uuid };
}

function encodeCursor(personKey: string): string {
  return Buffer.from(`p:${personKey}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('p:') || text.length < 3) {
    throw new BadRequestException('cursor is not a cursor this API issued');
  }
  return text.slice(2);
}
