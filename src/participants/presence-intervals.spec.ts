import { joinInterval, occurrenceEnds, unionOf } from './presence-intervals';

const join = (
  join_ts: number | null,
  leave_ts: number | null = null,
  waiting_ts: number | null = null,
) => ({
  join_ts,
  leave_ts,
  waiting_ts,
});

describe('unionOf (minutes present: overlapping devices count once)', () => {
  it('merges overlapping and touching intervals and sums the rest', () => {
    const { merged, ms } = unionOf([
      [10, 20],
      [0, 5],
      [15, 30],
      [30, 35],
      [40, 41],
    ]);
    expect(merged).toEqual([
      [0, 5],
      [10, 35],
      [40, 41],
    ]);
    expect(ms).toBe(5 + 25 + 1);
  });

  it('a device inside another adds nothing; nothing is zero', () => {
    expect(
      unionOf([
        [0, 100],
        [10, 20],
      ]).ms,
    ).toBe(100);
    expect(unionOf([]).ms).toBe(0);
  });
});

describe('joinInterval (one join record)', () => {
  it('runs from the join to its leave', () => {
    expect(joinInterval(join(100, 160), null, 1000)).toEqual([100, 160]);
  });

  it('an open join ends at the meeting end, else now', () => {
    expect(joinInterval(join(100), 150, 1000)).toEqual([100, 150]);
    expect(joinInterval(join(100), null, 1000)).toEqual([100, 1000]);
  });

  it('the earliest end not older than the join wins; an older leave belongs to nothing', () => {
    expect(joinInterval(join(100, 180), 150, 1000)).toEqual([100, 150]);
    expect(joinInterval(join(100, 50), null, 300)).toEqual([100, 300]);
  });

  it('waiting-room time is not presence: before an admit, or after being put back', () => {
    // Waited from 50, admitted (a join) at 100, left at 200.
    expect(joinInterval(join(100, 200, 50), null, 1000)).toEqual([100, 200]);
    // In at 100, put back in the waiting room at 130, never admitted again.
    expect(joinInterval(join(100, null, 130), null, 1000)).toEqual([100, 130]);
    // Only ever in the waiting room.
    expect(joinInterval(join(null, 200, 50), null, 1000)).toBeNull();
  });
});

describe('occurrenceEnds (where open joins of an occurrence stop)', () => {
  it('meeting.ended, else the next occurrence of the same meeting, else still running', () => {
    const ends = occurrenceEnds([
      { meeting_id: '1', uuid: 'c', first_event_ts: 300, ended_ts: null },
      { meeting_id: '1', uuid: 'a', first_event_ts: 100, ended_ts: 150 },
      { meeting_id: '1', uuid: 'b', first_event_ts: 200, ended_ts: null },
      { meeting_id: '2', uuid: 'z', first_event_ts: 250, ended_ts: null },
    ]);
    expect(Object.fromEntries(ends)).toEqual({ '1|a': 150, '1|b': 300, '1|c': null, '2|z': null });
  });
});
