import { isMeetingNumber, meetingIdPathParam, needsDoubleEncoding } from './meeting-id';
import { fillPath } from './zoom-http.client';

describe('meeting ids in paths (docs/zoom.md §5)', () => {
  const path = (id: string) =>
    fillPath('/metrics/meetings/{meetingId}/participants', { meetingId: meetingIdPathParam(id) });

  it('leaves a meeting number as is', () => {
    expect(path('81234567890')).toBe('/metrics/meetings/81234567890/participants');
  });

  it('encodes an ordinary UUID once', () => {
    expect(path('4444AAAiAAAAAiAiAiiAii==')).toBe(
      '/metrics/meetings/4444AAAiAAAAAiAiAiiAii%3D%3D/participants',
    );
    expect(path('ab/cd+ef==')).toBe('/metrics/meetings/ab%2Fcd%2Bef%3D%3D/participants');
  });

  it('encodes twice a UUID that starts with / or contains //', () => {
    expect(needsDoubleEncoding('/ajXp112QmuoKj4854875==')).toBe(true);
    expect(needsDoubleEncoding('ab//cd==')).toBe(true);
    expect(needsDoubleEncoding('ab/cd==')).toBe(false);
    expect(path('/ajXp112QmuoKj4854875==')).toBe(
      '/metrics/meetings/%252FajXp112QmuoKj4854875%253D%253D/participants',
    );
    expect(path('ab//cd==')).toBe('/metrics/meetings/ab%252F%252Fcd%253D%253D/participants');
  });

  it('refuses a template placeholder without a value', () => {
    expect(() => fillPath('/meetings/{meetingId}', {})).toThrow('{meetingId}');
  });
});

describe('the meeting number rule', () => {
  it('accepts 5 to 20 digits and nothing else', () => {
    for (const ok of ['12345', '85746352413', '1'.repeat(20)])
      expect(isMeetingNumber(ok)).toBe(true);
    for (const bad of [
      '1234',
      '1'.repeat(21),
      '8574 635 2413',
      '-12345',
      'abcde',
      '',
      null,
      85746352413,
    ])
      expect(isMeetingNumber(bad)).toBe(false);
  });
});
