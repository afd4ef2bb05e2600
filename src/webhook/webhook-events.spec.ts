import { BadRequestException } from '@nestjs/common';
import { parseZoomWebhook } from './webhook-events';

const object = {
  id: 85746065432,
  uuid: '4444AAAiAAAAAiAiAiiAii==',
  participant: {
    user_id: '16790528',
    user_name: ' Ada ',
    id: '',
    participant_user_id: 'KDcuGIm1QgePTO8WbOqwIQ',
    participant_uuid: '67C1A429-0000',
    email: 'ada@example.com',
    join_time: '2026-11-27T03:00:00Z',
  },
};

describe('parseZoomWebhook', () => {
  it('reads a participant_joined (numeric meeting id, Zoom user id in participant_user_id)', () => {
    const parsed = parseZoomWebhook({
      event: 'meeting.participant_joined',
      event_ts: 1764212400123,
      payload: { object },
    });
    expect(parsed).toEqual({
      type: 'participant',
      event: 'meeting.participant_joined',
      data: {
        kind: 'joined',
        meetingId: '85746065432',
        meetingUuid: '4444AAAiAAAAAiAiAiiAii==',
        meetingKind: 'meeting',
        ts: 1764212400123,
        time: new Date('2026-11-27T03:00:00Z'),
        participant: expect.objectContaining({
          user_id: '16790528',
          participant_uuid: '67C1A429-0000',
          zoom_user_id: 'KDcuGIm1QgePTO8WbOqwIQ',
          name: 'Ada',
          email: 'ada@example.com',
        }),
      },
    });
  });

  it.each([
    ['meeting.participant_joined_waiting_room', 'waiting'],
    ['meeting.participant_put_in_waiting_room', 'waiting'],
    ['meeting.participant_admitted', 'joined'],
    ['meeting.participant_left_waiting_room', 'waiting_left'],
  ])('reads %s as a %s event at its date_time (docs/zoom.md §7)', (event, kind) => {
    const { join_time: _joinTime, ...ids } = object.participant;
    const parsed = parseZoomWebhook({
      event,
      event_ts: 1764212400123,
      payload: {
        object: { ...object, participant: { ...ids, date_time: '2026-11-27T03:05:00Z' } },
      },
    });
    expect(parsed).toMatchObject({
      type: 'participant',
      data: {
        kind,
        time: new Date('2026-11-27T03:05:00Z'),
        participant: { participant_uuid: '67C1A429-0000', email: 'ada@example.com' },
      },
    });
  });

  it.each(['meeting.constructor', 'webinar.__proto__', 'meeting.__proto__', 'webinar.constructor'])(
    'ignores %s: event names are looked up as own keys only',
    (event) => {
      expect(parseZoomWebhook({ event, event_ts: 1764212400123, payload: { object } })).toEqual({
        type: 'ignored',
        event,
      });
    },
  );

  it('treats empty ids and emails as absent (guests, docs/zoom.md §3)', () => {
    const guest = {
      ...object,
      participant: {
        user_id: 7,
        user_name: 'Guest',
        id: '',
        participant_user_id: '',
        email: '',
        participant_uuid: '',
      },
    };
    const parsed = parseZoomWebhook({
      event: 'webinar.participant_left',
      event_ts: 5,
      payload: { object: guest },
    });
    expect(parsed).toMatchObject({
      type: 'participant',
      data: {
        kind: 'left',
        meetingKind: 'webinar',
        participant: { user_id: '7', participant_uuid: null, zoom_user_id: null, email: null },
      },
    });
  });

  it('reads started/ended and ignores unknown events', () => {
    expect(
      parseZoomWebhook({
        event: 'meeting.ended',
        event_ts: 9,
        payload: { object: { id: '123456789', uuid: 'u', end_time: '2026-11-27T04:00:00Z' } },
      }),
    ).toMatchObject({
      type: 'occurrence',
      data: { kind: 'ended', endTime: new Date('2026-11-27T04:00:00Z') },
    });
    expect(parseZoomWebhook({ event: 'recording.completed', payload: {} })).toEqual({
      type: 'ignored',
      event: 'recording.completed',
    });
  });

  it.each([
    ['not an object', []],
    ['no event', { payload: {} }],
    ['url_validation without plainToken', { event: 'endpoint.url_validation', payload: {} }],
  ])('rejects %s with a 400 (not an event at all)', (_name, body) => {
    expect(() => parseZoomWebhook(body)).toThrow(BadRequestException);
  });

  it.each([
    [
      'a float event_ts',
      {
        event: 'meeting.started',
        event_ts: 1.5,
        payload: { object: { id: '123456789', uuid: 'u' } },
      },
      '"event_ts"',
    ],
    [
      'no uuid',
      { event: 'meeting.started', event_ts: 1, payload: { object: { id: '123456789' } } },
      'payload.object.uuid',
    ],
    [
      'a participant without ids',
      {
        event: 'meeting.participant_left',
        event_ts: 1,
        payload: { object: { ...object, participant: { user_name: 'x' } } },
      },
      'neither participant_uuid nor user_id',
    ],
    [
      'no participant',
      { event: 'meeting.participant_joined', event_ts: 1, payload: { object: { uuid: 'u' } } },
      'payload.object.participant',
    ],
    ['no payload', { event: 'webinar.ended', event_ts: 1 }, 'payload.object'],
  ])(
    'marks a known event with %s unusable (acknowledged, not a 400: docs/zoom.md §3)',
    (_name, body, reason) => {
      const parsed = parseZoomWebhook(body);
      expect(parsed).toEqual({
        type: 'unusable',
        event: body.event,
        reason: expect.stringContaining(reason),
      });
    },
  );

  it.each([undefined, '', 'abc'])(
    'leaves the meeting id to be resolved when object.id is %p (rivet: optional)',
    (id) => {
      const parsed = parseZoomWebhook({
        event: 'meeting.participant_joined',
        event_ts: 1,
        payload: { object: { ...object, id } },
      });
      expect(parsed).toMatchObject({
        type: 'participant',
        data: { meetingId: null, meetingUuid: object.uuid },
      });
    },
  );
});
