import { gradebookCell, isAnswered, isAsked, type CellFacts } from './gradebook-cells';

const WINDOW_END = new Date('2026-11-03T10:15:00Z');
const facts = (over: Partial<CellFacts>): CellFacts => ({
  answer: null,
  delivery: null,
  firstJoin: new Date('2026-11-03T10:00:00Z'),
  windowEnd: WINDOW_END,
  ...over,
});

describe('gradebookCell (the reason for a cell without points)', () => {
  it('an answer gives its points, partial credit as stored; participation-only: answered', () => {
    expect(gradebookCell(facts({ answer: { score: 50 }, delivery: 'sent' }))).toEqual({
      status: 'scored',
      points: 50,
    });
    expect(gradebookCell(facts({ answer: { score: null }, delivery: 'sent' }))).toEqual({
      status: 'answered',
      points: null,
    });
  });

  it('an answer counts even if the message was never confirmed', () => {
    expect(gradebookCell(facts({ answer: { score: 0 }, delivery: 'unconfirmed' })).status).toBe(
      'scored',
    );
  });

  it('sent and not answered: no_answer', () => {
    expect(gradebookCell(facts({ delivery: 'sent' })).status).toBe('no_answer');
  });

  it.each(['unreachable', 'failed', 'unconfirmed', 'pending', 'sending'] as const)(
    'a message %s: not_reached',
    (status) => {
      expect(gradebookCell(facts({ delivery: status })).status).toBe('not_reached');
    },
  );

  it('not in the occurrence at all: absent', () => {
    expect(gradebookCell(facts({ firstJoin: null })).status).toBe('absent');
  });

  it('joined after the window closed: late; joined before it but got no message: not_reached', () => {
    const after = new Date(WINDOW_END.getTime() + 1);
    expect(gradebookCell(facts({ firstJoin: after })).status).toBe('late');
    expect(gradebookCell(facts({ firstJoin: WINDOW_END })).status).toBe('not_reached');
  });

  it('asked = answered or no_answer; answered = scored or answered', () => {
    const cells = [
      gradebookCell(facts({ answer: { score: 1 } })),
      gradebookCell(facts({ answer: { score: null } })),
      gradebookCell(facts({ delivery: 'sent' })),
      gradebookCell(facts({ delivery: 'failed' })),
      gradebookCell(facts({ firstJoin: null })),
    ];
    expect(cells.map(isAsked)).toEqual([true, true, true, false, false]);
    expect(cells.map(isAnswered)).toEqual([true, true, false, false, false]);
  });
});
