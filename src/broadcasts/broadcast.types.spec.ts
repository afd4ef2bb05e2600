import { Types } from 'mongoose';
import { occurrenceOfBroadcast } from './broadcast.types';

describe('occurrenceOfBroadcast (the occurrence a question was asked in)', () => {
  const occurrences = [
    { meeting_id: '1', uuid: 'a', first_event_ts: 1000 },
    { meeting_id: '1', uuid: 'b', first_event_ts: 5000 },
    { meeting_id: '2', uuid: 'z', first_event_ts: 4000 },
  ];
  const asked = (opensAt: number, stored: string | null = null, meeting = '1') => ({
    id: new Types.ObjectId(),
    meeting_id: meeting,
    opens_at: new Date(opensAt),
    occurrence_uuid: stored,
  });

  it('the one recorded at send wins', () => {
    expect(occurrenceOfBroadcast(asked(9000, 'a'), occurrences)).toBe('a');
  });

  it('an older broadcast: its meeting’s occurrence current when it opened', () => {
    expect(occurrenceOfBroadcast(asked(4500), occurrences)).toBe('a');
    expect(occurrenceOfBroadcast(asked(5000), occurrences)).toBe('b');
    expect(occurrenceOfBroadcast(asked(4500, null, '2'), occurrences)).toBe('z');
  });

  it('none when it opened before every occurrence of its meeting', () => {
    expect(occurrenceOfBroadcast(asked(500), occurrences)).toBeNull();
  });
});
