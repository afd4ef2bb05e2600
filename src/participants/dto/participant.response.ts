import { ApiProperty } from '@nestjs/swagger';
import type { OccurrenceRecord } from '../occurrences.repository';
import type { MeetingSummary } from '../participants.service';
import { PRESENCE_FILTERS, type PeoplePage } from '../participants.service';
import { GUEST_UNREACHABLE_REASON, type MeetingPerson } from '../people';

export class MeetingPersonDto {
  @ApiProperty({
    description: 'One per person: Zoom user id, else lower-cased email, else the join key',
    example: 'KDcuGIm1QgePTO8WbOqwIQ',
  })
  person_key!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'ada@example.com' })
  email!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Zoom account user id; null for guests',
  })
  zoom_user_id!: string | null;

  @ApiProperty({
    description:
      'Team Chat can reach them: they have an email (to_contact is an email, a Zoom user id is not documented there)',
  })
  reachable!: boolean;

  @ApiProperty({ type: String, nullable: true, example: GUEST_UNREACHABLE_REASON })
  unreachable_reason!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Their latest join',
  })
  join_time!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When they left (or the meeting ended); null while in the meeting',
  })
  leave_time!: string | null;

  @ApiProperty({
    enum: ['joined', 'left', 'waiting'],
    description: 'waiting: in the waiting room, not in the meeting (never a recipient)',
  })
  status!: 'joined' | 'left' | 'waiting';
}

export class OccurrenceDto {
  @ApiProperty({ description: 'Occurrence UUID (`object.uuid`)' })
  uuid!: string;

  @ApiProperty({ enum: ['meeting', 'webinar'] })
  kind!: 'meeting' | 'webinar';

  @ApiProperty({ type: String, nullable: true })
  topic!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  start_time!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  end_time!: string | null;

  @ApiProperty({ description: 'meeting.ended was received: everyone has left' })
  ended!: boolean;
}

export class ParticipantListResponseDto {
  @ApiProperty({ example: '85746065432' })
  meeting_id!: string;

  @ApiProperty({
    type: OccurrenceDto,
    nullable: true,
    description: 'The occurrence listed; null when no event of this meeting has been received',
  })
  occurrence!: OccurrenceDto | null;

  @ApiProperty({ enum: PRESENCE_FILTERS })
  status!: string;

  @ApiProperty({ description: 'People matching status, over all pages' })
  count!: number;

  @ApiProperty({ type: [MeetingPersonDto] })
  items!: MeetingPersonDto[];

  @ApiProperty()
  limit!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page' })
  next_cursor!: string | null;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toPersonResponse(person: MeetingPerson): MeetingPersonDto {
  return {
    person_key: person.person_key,
    name: person.name,
    email: person.email,
    zoom_user_id: person.zoom_user_id,
    reachable: person.reachable,
    unreachable_reason: person.unreachable_reason,
    join_time: iso(person.join_time),
    leave_time: iso(person.leave_time),
    status: person.status,
  };
}

export function toOccurrenceResponse(o: OccurrenceRecord): OccurrenceDto {
  return {
    uuid: o.uuid,
    kind: o.kind,
    topic: o.topic,
    start_time: iso(o.start_time),
    end_time: iso(o.end_time),
    ended: o.ended_ts !== null,
  };
}

export function toParticipantListResponse(page: PeoplePage): ParticipantListResponseDto {
  return {
    meeting_id: page.meeting_id,
    occurrence: page.occurrence ? toOccurrenceResponse(page.occurrence) : null,
    status: page.status,
    count: page.count,
    items: page.items.map(toPersonResponse),
    limit: page.limit,
    next_cursor: page.next_cursor,
  };
}

export class UnreachableCountDto {
  @ApiProperty({ description: 'Why Team Chat cannot reach them' }) reason!: string;
  @ApiProperty() count!: number;
}

export class MeetingSummaryDto {
  @ApiProperty({ example: '85746065432' }) meeting_id!: string;
  @ApiProperty({ type: OccurrenceDto, description: 'Its current (latest) occurrence' })
  occurrence!: OccurrenceDto;
  @ApiProperty({ description: 'People in the meeting now, one per person' }) present!: number;
  @ApiProperty({ description: 'Of those, the ones a Team Chat message can reach' })
  reachable!: number;
  @ApiProperty({ type: [UnreachableCountDto], description: 'The others, counted by reason' })
  unreachable!: UnreachableCountDto[];
}

export class MeetingListResponseDto {
  @ApiProperty({ type: [MeetingSummaryDto] }) items!: MeetingSummaryDto[];
}

export function toMeetingSummaryResponse(m: MeetingSummary): MeetingSummaryDto {
  return {
    meeting_id: m.meeting_id,
    occurrence: toOccurrenceResponse(m.occurrence),
    present: m.present,
    reachable: m.reachable,
    unreachable: m.unreachable.map((u) => ({ ...u })),
  };
}
