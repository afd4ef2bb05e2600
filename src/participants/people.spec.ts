import type { ParticipantRecord } from './participants.repository';
import { GUEST_UNREACHABLE_REASON, NO_EMAIL_UNREACHABLE_REASON, toPerson } from './people';

const base = (over: Partial<ParticipantRecord>): ParticipantRecord => ({
  meeting_id: '123456789',
  meeting_uuid: 'u',
  participant_key: 'k',
  person_key: 'k',
  user_id: '1',
  participant_uuid: null,
  zoom_user_id: null,
  name: 'Someone',
  email: null,
  join_time: new Date(1000),
  leave_time: null,
  status: 'joined',
  join_ts: 1000,
  leave_ts: null,
  ended_ts: null,
  waiting_ts: null,
  waiting_left_ts: null,
  identity_rank: 1,
  last_event_ts: 1000,
  raw_data: null,
  created_at: new Date(0),
  updated_at: new Date(0),
  ...over,
});

describe('toPerson', () => {
  const end = { end_time: new Date(9000) };

  it('is joined if any join is open, named after the newest open join', () => {
    const person = toPerson(
      [
        base({
          participant_key: 'a',
          join_ts: 1000,
          status: 'left',
          leave_ts: 2000,
          leave_time: new Date(2000),
          name: 'Old',
        }),
        base({
          participant_key: 'b',
          join_ts: 3000,
          join_time: new Date(3000),
          name: 'New',
          email: 'x@y.z',
        }),
      ],
      end,
    );
    expect(person).toMatchObject({
      status: 'joined',
      name: 'New',
      join_time: new Date(3000),
      leave_time: null,
      reachable: true,
    });
  });

  it('takes the latest leave, or the meeting end for a join the end closed', () => {
    const person = toPerson(
      [
        base({ participant_key: 'a', status: 'left', leave_ts: 2000, leave_time: new Date(2000) }),
        base({ participant_key: 'b', join_ts: 3000, status: 'left', ended_ts: 9000 }),
      ],
      end,
    );
    expect(person).toMatchObject({ status: 'left', leave_time: new Date(9000) });
  });

  it('ignores a leave older than the join it is stored on', () => {
    const person = toPerson(
      [
        base({
          join_ts: 3000,
          leave_ts: 2000,
          leave_time: new Date(2000),
          ended_ts: 5000,
          status: 'left',
        }),
      ],
      { end_time: null },
    );
    expect(person.leave_time).toEqual(new Date(5000));
  });

  it('flags guests without a Zoom user id or email as unreachable', () => {
    expect(toPerson([base({})], end)).toMatchObject({
      reachable: false,
      unreachable_reason: GUEST_UNREACHABLE_REASON,
    });
    expect(toPerson([base({ zoom_user_id: 'z', email: 'a@example.com' })], end)).toMatchObject({
      reachable: true,
      unreachable_reason: null,
    });
  });

  it('flags a signed-in person without an email as unreachable: to_contact is an email', () => {
    expect(toPerson([base({ zoom_user_id: 'z' })], end)).toMatchObject({
      reachable: false,
      unreachable_reason: NO_EMAIL_UNREACHABLE_REASON,
    });
  });
});
