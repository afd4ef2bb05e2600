import { Injectable } from '@nestjs/common';
import { meetingIdPathParam } from './meeting-id';
import { ZoomHttpClient } from './zoom-http.client';

export interface ZoomMeeting {
  /** The meeting number people type (docs/zoom.md §3). */
  id: string;
  /** The current or last occurrence. */
  uuid: string | null;
  topic: string | null;
  /** Team Chat channel of the continuous meeting chat, when enabled (docs/zoom.md §2). */
  chatChannelId: string | null;
  /** The Zoom user id of the meeting's host (who may send to it, src/access). */
  hostId: string | null;
  /** The host's email, as Zoom holds it (any case). */
  hostEmail: string | null;
}

/** One row of Zoom's live participant list, in this code base's names (docs/zoom.md §3, §5). */
export interface ZoomLiveParticipant {
  /** Zoom's `user_id`: per meeting and per join; a rejoin gets a new one. */
  userId: string;
  /** The Zoom account user id (`id` / `participant_user_id`); null for guests. */
  zoomUserId: string | null;
  /** Per join. */
  participantUuid: string | null;
  name: string;
  /** Null for guests, HIPAA accounts, privacy settings. */
  email: string | null;
  joinTime: Date | null;
  /** Set when this join has ended: the live list also holds people who already left (§5). */
  leaveTime: Date | null;
  /** Zoom's row `status: "in_waiting_room"`: waiting to be admitted, not in the meeting (§7). */
  inWaitingRoom: boolean;
}

/** The dashboard API's maximum page size (docs/zoom.md §5). */
const PARTICIPANTS_PAGE_SIZE = 300;
/** 300 × 1,000 participants: far beyond any meeting; only a looping page token gets here. */
const MAX_PAGES = 1_000;

interface ParticipantsPage {
  next_page_token?: unknown;
  participants?: unknown;
}

@Injectable()
export class ZoomMeetingsService {
  constructor(private readonly http: ZoomHttpClient) {}

  /** `GET /meetings/{meetingId}` (Light): topic, occurrence UUID, continuous-chat channel, host. */
  async getMeeting(meetingId: string): Promise<ZoomMeeting> {
    const { data } = await this.http.request<unknown>({
      method: 'GET',
      path: '/meetings/{meetingId}',
      params: { meetingId: meetingIdPathParam(meetingId) },
      label: 'light',
    });
    const meeting = asRecord(data);
    const settings = asRecord(meeting.settings);
    const chat = asRecord(settings.continuous_meeting_chat);
    return {
      id: idString(meeting.id) ?? meetingId,
      uuid: text(meeting.uuid),
      topic: text(meeting.topic),
      chatChannelId: text(chat.channel_id),
      hostId: idString(meeting.host_id),
      hostEmail: text(meeting.host_email),
    };
  }

  /**
   * Everyone Zoom lists for the live meeting: `GET /metrics/meetings/{id}/participants?type=live`
   * (Heavy, Business plan, docs/zoom.md §5), every page. The list includes people who have left
   * (`leaveTime` set); filtering is the caller's decision.
   */
  async listLiveParticipants(meetingIdOrUuid: string): Promise<ZoomLiveParticipant[]> {
    const participants: ZoomLiveParticipant[] = [];
    const seenTokens = new Set<string>();
    let pageToken = '';
    for (let page = 0; page < MAX_PAGES; page++) {
      const { data } = await this.http.request<ParticipantsPage>({
        method: 'GET',
        path: '/metrics/meetings/{meetingId}/participants',
        params: { meetingId: meetingIdPathParam(meetingIdOrUuid) },
        query: {
          type: 'live',
          page_size: PARTICIPANTS_PAGE_SIZE,
          next_page_token: pageToken === '' ? undefined : pageToken,
        },
        label: 'heavy',
      });
      const rows: unknown[] = Array.isArray(data?.participants) ? data.participants : [];
      participants.push(...rows.map((row) => toParticipant(asRecord(row))));
      pageToken = text(data?.next_page_token) ?? '';
      if (pageToken === '' || seenTokens.has(pageToken)) break;
      seenTokens.add(pageToken);
    }
    return participants;
  }
}

function toParticipant(p: Record<string, unknown>): ZoomLiveParticipant {
  return {
    userId: idString(p.user_id) ?? '',
    // The dashboard's `id` is the account user id, '' for guests; `participant_user_id` mirrors it.
    zoomUserId: idString(p.id) ?? idString(p.participant_user_id),
    participantUuid: text(p.participant_uuid),
    name: text(p.user_name) ?? '',
    email: text(p.email),
    joinTime: date(p.join_time),
    leaveTime: date(p.leave_time),
    inWaitingRoom: p.status === 'in_waiting_room',
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Zoom sends meeting numbers as JSON numbers and some ids as strings; both become strings. */
function idString(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value);
}

function date(value: unknown): Date | null {
  const raw = text(value);
  if (raw === null) return null;
  const parsed = new Date(raw);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
