import { zoomTime } from './http';
import type { SeededRandom } from './prng';
import { buildWebhookBody, type WebhookBody, type WebhookExtra } from './webhooks';
import type {
  SimChannel,
  SimMeeting,
  SimOccurrence,
  SimParticipant,
  WebhookEvent,
  ZoomUser,
} from './types';

export class SimNotFoundError extends Error {}

/** What join() accepts: `zoomUserId: ''` is a guest who did not sign in (docs/zoom.md §3). */
export interface JoinInput {
  name: string;
  email?: string;
  zoomUserId?: string;
  registrantId?: string;
  customerKey?: string;
  phoneNumber?: string;
}

export interface CreateMeetingInput {
  id?: string | number;
  topic?: string;
  hostEmail?: string;
  continuousChat?: boolean;
  webinar?: boolean;
}

/**
 * The Zoom account the simulator pretends to be: its users (who are each other's Team Chat
 * contacts), channels, meetings and their occurrences. Join/leave/start/end emit webhooks.
 */
export class SimWorld {
  private readonly users = new Map<string, ZoomUser>();
  private readonly usersByEmail = new Map<string, ZoomUser>();
  private readonly channels = new Map<string, SimChannel>();
  /** User ids whose role may not edit Chat Messages. */
  private readonly noChatMessagesEdit = new Set<string>();
  private readonly meetings = new Map<string, SimMeeting>();
  private readonly occurrences = new Map<
    string,
    { meeting: SimMeeting; occurrence: SimOccurrence }
  >();
  /** Zoom's per-join user_id values are numeric strings such as "16790528" (docs/zoom.md §3). */
  private nextJoinId = 16778240;
  private lastEventTs = 0;

  constructor(
    readonly accountId: string,
    private readonly rng: SeededRandom,
    private readonly emit: (body: WebhookBody) => void,
  ) {}

  // ---- users and channels -------------------------------------------------------------------

  /** Idempotent per email: adding a known email returns the existing user. */
  addUser(u: { id?: string; email: string; name?: string }): ZoomUser {
    const existing = this.usersByEmail.get(u.email.toLowerCase());
    if (existing) return { ...existing };
    const user: ZoomUser = {
      // Zoom user ids are 22-character base64url strings, e.g. "KDcuGIm1QgePTO8WbOqwIQ".
      id: u.id ?? this.rng.bytes(16).toString('base64url'),
      email: u.email,
      name: u.name ?? u.email.split('@')[0],
    };
    this.users.set(user.id, user);
    this.usersByEmail.set(user.email.toLowerCase(), user);
    return { ...user };
  }

  listUsers(): ZoomUser[] {
    return [...this.users.values()].map((u) => ({ ...u }));
  }

  /** By user id or (case-insensitive) email: both identify a user in Zoom's chat API (docs/zoom.md §2). */
  findUser(idOrEmail: string): ZoomUser | undefined {
    return this.users.get(idOrEmail) ?? this.usersByEmail.get(idOrEmail.toLowerCase());
  }

  /** `members`: ids or emails of account users (each must exist). */
  createChannel(c: { id?: string; name?: string; members?: string[] } = {}): SimChannel {
    const channel: SimChannel = {
      id: c.id ?? this.rng.bytes(16).toString('hex'),
      name: c.name ?? 'Channel',
      members: [],
    };
    this.channels.set(channel.id, channel);
    for (const member of c.members ?? []) this.addChannelMember(channel.id, member);
    return structuredClone(this.channels.get(channel.id) as SimChannel);
  }

  findChannel(id: string): SimChannel | undefined {
    return this.channels.get(id);
  }

  // ---- chat permissions (issue 12: channel membership and the sender's role) -----------------

  /** Adds an account user (id or email) to a channel; adding a member again changes nothing. */
  addChannelMember(channelId: string, user: string): SimChannel {
    const channel = this.channels.get(channelId);
    if (!channel) throw new SimNotFoundError(`Channel does not exist: ${channelId}`);
    const found = this.findUser(user);
    if (!found) throw new SimNotFoundError(`User does not exist: ${user}`);
    if (!channel.members.includes(found.id)) channel.members.push(found.id);
    return structuredClone(channel);
  }

  removeChannelMember(channelId: string, user: string): SimChannel {
    const channel = this.channels.get(channelId);
    if (!channel) throw new SimNotFoundError(`Channel does not exist: ${channelId}`);
    const found = this.findUser(user);
    channel.members = channel.members.filter((id) => id !== found?.id);
    return structuredClone(channel);
  }

  isChannelMember(channelId: string, user: string): boolean {
    const found = this.findUser(user);
    return (
      found !== undefined && (this.channels.get(channelId)?.members.includes(found.id) ?? false)
    );
  }

  /**
   * Whether the user's role may edit Chat Messages, which an account-level app needs to send on
   * their behalf (docs/zoom.md §2). Every user may until told otherwise.
   */
  setChatMessagesEdit(user: string, allowed: boolean): void {
    const found = this.findUser(user);
    if (!found) throw new SimNotFoundError(`User does not exist: ${user}`);
    if (allowed) this.noChatMessagesEdit.delete(found.id);
    else this.noChatMessagesEdit.add(found.id);
  }

  canEditChatMessages(user: string): boolean {
    const found = this.findUser(user);
    return found !== undefined && !this.noChatMessagesEdit.has(found.id);
  }

  // ---- meetings -----------------------------------------------------------------------------

  createMeeting(m: CreateMeetingInput = {}): SimMeeting {
    const id = m.id !== undefined ? Number(m.id) : 80_000_000_000 + this.rng.int(9_999_999_999);
    if (!Number.isSafeInteger(id) || id <= 0)
      throw new Error(`meeting id must be a number: ${String(m.id)}`);
    const host = m.hostEmail ? this.addUser({ email: m.hostEmail }) : undefined;
    const topic = m.topic ?? 'Simulated meeting';
    const meeting: SimMeeting = {
      id,
      uuid: this.rng.meetingUuid(),
      topic,
      host_id: host?.id ?? this.rng.bytes(16).toString('base64url'),
      host_email: host?.email ?? 'host@sim.zoom.example',
      webinar: m.webinar ?? false,
      continuousChat: m.continuousChat ?? false,
      created_at: zoomTime(),
      status: 'waiting',
      occurrences: [],
    };
    if (meeting.continuousChat) {
      // The continuous-chat group holds the invitees; the host is the one always there.
      meeting.channel_id = this.createChannel({ name: topic, members: host ? [host.id] : [] }).id;
    }
    this.meetings.set(String(id), meeting);
    return this.snapshot(meeting);
  }

  listMeetings(): SimMeeting[] {
    return [...this.meetings.values()].map((m) => this.snapshot(m));
  }

  getMeeting(meetingId: string | number): SimMeeting {
    return this.snapshot(this.meeting(meetingId));
  }

  /** The live meeting object, for the HTTP handlers (callers must not mutate it). */
  meeting(meetingId: string | number): SimMeeting {
    const meeting = this.meetings.get(String(meetingId));
    if (!meeting) throw new SimNotFoundError(`Meeting does not exist: ${String(meetingId)}.`);
    return meeting;
  }

  occurrenceByUuid(uuid: string): { meeting: SimMeeting; occurrence: SimOccurrence } | undefined {
    return this.occurrences.get(uuid);
  }

  /**
   * Starts an occurrence. The first start reuses the meeting's scheduled UUID; every later start
   * (after an end) is a new occurrence with a new UUID (docs/zoom.md §3). Starting a running meeting
   * returns the running occurrence.
   */
  startMeeting(meetingId: string | number, opts: { uuid?: string } = {}): { uuid: string } {
    const meeting = this.meeting(meetingId);
    const running = this.current(meeting);
    if (running) return { uuid: running.uuid };
    const uuid =
      opts.uuid ?? (meeting.occurrences.length === 0 ? meeting.uuid : this.rng.meetingUuid());
    const occurrence: SimOccurrence = { uuid, start_time: zoomTime(), participants: [] };
    meeting.occurrences.push(occurrence);
    meeting.uuid = uuid;
    meeting.status = 'started';
    this.occurrences.set(uuid, { meeting, occurrence });
    this.emitEvent(meeting.webinar ? 'webinar.started' : 'meeting.started', meeting, occurrence);
    return { uuid };
  }

  /** Joins the running occurrence, starting one if needed; every join gets new per-join ids. */
  join(meetingId: string | number, p: JoinInput): SimParticipant {
    const { meeting, occurrence, participant } = this.arrive(meetingId, p);
    this.emitEvent(this.kind(meeting, 'participant_joined'), meeting, occurrence, participant);
    return { ...participant };
  }

  /** A new participant of the running occurrence (started if needed), before any event. */
  private arrive(
    meetingId: string | number,
    p: JoinInput,
  ): { meeting: SimMeeting; occurrence: SimOccurrence; participant: SimParticipant } {
    const meeting = this.meeting(meetingId);
    if (!this.current(meeting)) this.startMeeting(meetingId);
    const occurrence = this.current(meeting) as SimOccurrence;
    // Signed in unless told otherwise: an account user's email implies their user id.
    const zoomUserId = p.zoomUserId ?? (p.email ? (this.findUser(p.email)?.id ?? '') : '');
    const participant: SimParticipant = {
      user_id: String(this.nextJoinId++),
      participant_uuid: this.rng.uuid(),
      id: zoomUserId,
      user_name: p.name,
      email: p.email ?? '',
      join_time: zoomTime(),
      meeting_uuid: occurrence.uuid,
      ...(p.registrantId !== undefined ? { registrant_id: p.registrantId } : {}),
      ...(p.customerKey !== undefined ? { customer_key: p.customerKey } : {}),
      ...(p.phoneNumber !== undefined ? { phone_number: p.phoneNumber } : {}),
    };
    occurrence.participants.push(participant);
    return { meeting, occurrence, participant };
  }

  // ---- Waiting room (docs/zoom.md §7) ------------------------------------------------------
  // Someone in it is listed by the dashboard with status in_waiting_room and is not in the
  // meeting. The ids stay those of the arrival through admit and put-back (inferred).

  /** Arrives in the waiting room: meeting.participant_joined_waiting_room. */
  joinWaitingRoom(meetingId: string | number, p: JoinInput): SimParticipant {
    const { meeting, occurrence, participant } = this.arrive(meetingId, p);
    participant.in_waiting_room = true;
    this.emitEvent('meeting.participant_joined_waiting_room', meeting, occurrence, participant);
    return { ...participant };
  }

  /**
   * The host admits them: meeting.participant_admitted, then meeting.participant_joined, then
   * meeting.participant_left_waiting_room, the newest of the three: they did leave the waiting
   * room (that Zoom sends the join and the leave of the waiting room too, and in this order, is
   * inferred, docs/zoom.md §7). A receiver that takes the last for a leave loses the person.
   */
  admit(meetingId: string | number, participantUuidOrUserId: string): SimParticipant {
    const { meeting, occurrence, participant } = this.present(meetingId, participantUuidOrUserId);
    if (participant.in_waiting_room !== true) {
      throw new SimNotFoundError(`${participantUuidOrUserId} is not in the waiting room`);
    }
    participant.in_waiting_room = false;
    participant.join_time = zoomTime();
    this.emitEvent('meeting.participant_admitted', meeting, occurrence, participant);
    this.emitEvent(this.kind(meeting, 'participant_joined'), meeting, occurrence, participant);
    this.emitEvent('meeting.participant_left_waiting_room', meeting, occurrence, participant);
    return { ...participant };
  }

  /** The host puts them back: meeting.participant_put_in_waiting_room. */
  putInWaitingRoom(meetingId: string | number, participantUuidOrUserId: string): SimParticipant {
    const { meeting, occurrence, participant } = this.present(meetingId, participantUuidOrUserId);
    if (participant.in_waiting_room === true) {
      throw new SimNotFoundError(`${participantUuidOrUserId} is already in the waiting room`);
    }
    participant.in_waiting_room = true;
    this.emitEvent('meeting.participant_put_in_waiting_room', meeting, occurrence, participant);
    return { ...participant };
  }

  private present(
    meetingId: string | number,
    participantUuidOrUserId: string,
  ): { meeting: SimMeeting; occurrence: SimOccurrence; participant: SimParticipant } {
    const meeting = this.meeting(meetingId);
    const occurrence = this.current(meeting);
    const participant = occurrence?.participants.find(
      (p) =>
        p.leave_time === undefined &&
        (p.participant_uuid === participantUuidOrUserId || p.user_id === participantUuidOrUserId),
    );
    if (!occurrence || !participant) {
      throw new SimNotFoundError(
        `No participant ${participantUuidOrUserId} in meeting ${meeting.id}`,
      );
    }
    return { meeting, occurrence, participant };
  }

  leave(meetingId: string | number, participantUuidOrUserId: string): SimParticipant {
    const { meeting, occurrence, participant } = this.present(meetingId, participantUuidOrUserId);
    this.markLeft(meeting, occurrence, participant, `${participant.user_name} left the meeting.`);
    return { ...participant };
  }

  /** Everyone still in leaves ("Host ended the meeting."), then the meeting ends. */
  endMeeting(meetingId: string | number): void {
    const meeting = this.meeting(meetingId);
    const occurrence = this.current(meeting);
    if (!occurrence) return;
    for (const p of occurrence.participants) {
      if (p.leave_time === undefined)
        this.markLeft(meeting, occurrence, p, 'Host ended the meeting.');
    }
    occurrence.end_time = zoomTime();
    meeting.status = 'waiting';
    this.emitEvent(meeting.webinar ? 'webinar.ended' : 'meeting.ended', meeting, occurrence);
  }

  /** A Zoom-shaped body without emitting it (for tests that post webhooks themselves). */
  webhookPayload(
    event: WebhookEvent,
    meetingId?: string | number,
    participant?: SimParticipant,
    extra?: WebhookExtra,
  ): WebhookBody {
    if (event === 'endpoint.url_validation') {
      return buildWebhookBody({
        event,
        accountId: this.accountId,
        eventTs: this.nextEventTs(),
        extra,
      });
    }
    if (meetingId === undefined) throw new Error(`${event} needs a meeting id`);
    const meeting = this.meeting(meetingId);
    const occurrence = (participant &&
      this.occurrences.get(participant.meeting_uuid)?.occurrence) ??
      this.current(meeting) ??
      meeting.occurrences.at(-1) ??
        // A meeting never started: describe its scheduled occurrence.
        { uuid: meeting.uuid, start_time: meeting.created_at, participants: [] };
    return buildWebhookBody({
      event,
      accountId: this.accountId,
      eventTs: this.nextEventTs(),
      meeting,
      occurrence,
      participant,
      extra,
    });
  }

  current(meeting: SimMeeting): SimOccurrence | undefined {
    const last = meeting.occurrences.at(-1);
    return meeting.status === 'started' ? last : undefined;
  }

  private markLeft(
    meeting: SimMeeting,
    occurrence: SimOccurrence,
    p: SimParticipant,
    reason: string,
  ): void {
    p.leave_time = zoomTime();
    if (p.in_waiting_room === true) {
      // Leaving the waiting room is its own event (rivet's leave_reason values, docs/zoom.md §7).
      p.leave_reason = 'Leave waiting room.';
      this.emitEvent('meeting.participant_left_waiting_room', meeting, occurrence, p);
      return;
    }
    p.leave_reason = reason;
    this.emitEvent(this.kind(meeting, 'participant_left'), meeting, occurrence, p);
  }

  private kind(meeting: SimMeeting, what: 'participant_joined' | 'participant_left'): WebhookEvent {
    return `${meeting.webinar ? 'webinar' : 'meeting'}.${what}`;
  }

  private emitEvent(
    event: WebhookEvent,
    meeting: SimMeeting,
    occurrence: SimOccurrence,
    participant?: SimParticipant,
  ): void {
    this.emit(
      buildWebhookBody({
        event,
        accountId: this.accountId,
        eventTs: this.nextEventTs(),
        meeting,
        occurrence,
        participant: participant ? { ...participant } : undefined,
      }),
    );
  }

  /**
   * Strictly increasing event_ts, so that a join and a leave in the same millisecond still have
   * an order a handler can use (handlers order by event_ts, docs/zoom.md §3).
   */
  private nextEventTs(): number {
    this.lastEventTs = Math.max(Date.now(), this.lastEventTs + 1);
    return this.lastEventTs;
  }

  private snapshot(m: SimMeeting): SimMeeting {
    return structuredClone(m);
  }
}
