import {
  questionSnapshot,
  type BroadcastControls,
  type QuestionSnapshot,
} from '../broadcasts/broadcast.types';
import {
  AnswerView,
  DeliveryView,
  lastDeadline,
  nonResponders,
  rankLeaderboard,
  summarize,
} from './results-summary';
import { resultsCsv } from './results-csv';

/** The rows as written, without the byte-order mark downloads start with (csv-write.spec.ts). */
const PLAIN = { delimiter: ',', bom: false } as const;

const question: QuestionSnapshot = questionSnapshot({
  title: 'Capital',
  question_text: 'Capital of France?',
  options: ['Berlin', 'Paris', 'Rome'],
  correct_answer: 1,
  time_limit: 30,
  points: 10,
});
const t0 = new Date('2026-11-27T03:00:00Z');
const NOT_CLOSED: BroadcastControls = { closed_at: null, revealed_at: null };
const sent = (key: string, name: string): DeliveryView => ({
  recipient_key: key,
  name,
  email: `${key}@x.example`,
  status: 'sent',
  sent_at: t0,
  closes_at: new Date(t0.getTime() + 30_000),
});
const answer = (key: string, choice: number, score: number): AnswerView => ({
  recipient_key: key,
  name: key.toUpperCase(),
  email: `${key}@x.example`,
  choice,
  correct: choice === 1,
  score,
  latency_ms: 1000,
  answered_at: new Date(t0.getTime() + 1000),
});
const person = (key: string, name = key) => ({ person_key: key, name, email: `${key}@x.example` });

describe('nonResponders (direct mode)', () => {
  const deliveries: DeliveryView[] = [
    sent('a', 'A'),
    sent('b', 'B'),
    sent('gone', 'Gone'),
    { ...sent('guest', 'Guest'), status: 'unreachable', sent_at: null, closes_at: null },
    { ...sent('late-send', 'Pending'), status: 'pending', sent_at: null, closes_at: null },
  ];
  const answers = [answer('a', 1, 9)];
  const people = [person('a'), person('b'), person('guest'), person('late-send'), person('new')];

  it('lists people in the meeting without an answer, with the reason', () => {
    const rows = nonResponders('direct', deliveries, answers, people);
    const byKey = Object.fromEntries(rows.map((r) => [r.person_key, r]));
    expect(byKey.a).toBeUndefined();
    expect(byKey.b).toMatchObject({
      in_meeting: true,
      reason: 'no_answer',
      delivery_status: 'sent',
    });
    expect(byKey.guest).toMatchObject({ reason: 'unreachable' });
    expect(byKey['late-send']).toMatchObject({ reason: 'not_delivered' });
    expect(byKey.new).toMatchObject({ reason: 'joined_after_send', delivery_status: null });
  });

  it('also lists people who got the question and left without answering', () => {
    const rows = nonResponders('direct', deliveries, answers, people);
    expect(rows.find((r) => r.person_key === 'gone')).toMatchObject({
      in_meeting: false,
      reason: 'left_meeting',
    });
  });

  it('a reminder in flight (sent_at set, status pending) still counts as delivered', () => {
    const reminded = [{ ...sent('b', 'B'), status: 'pending' as const }];
    expect(nonResponders('direct', reminded, [], [person('b')])[0].reason).toBe('no_answer');
  });
});

describe('nonResponders (channel mode)', () => {
  it('matches people by person key or by email, case-insensitively', () => {
    const channel = { ...sent('channel:c1', 'Meeting chat channel'), email: null };
    const answers = [{ ...answer('ann@x.example', 1, 10), email: 'ann@x.example' }];
    const people = [
      { person_key: 'zoom-ann', name: 'Ann', email: 'Ann@X.example' },
      { person_key: 'zoom-bob', name: 'Bob', email: 'bob@x.example' },
    ];
    const rows = nonResponders('channel', [channel], answers, people);
    expect(rows.map((r) => r.person_key)).toEqual(['zoom-bob']);
    expect(rows[0]).toMatchObject({ reason: 'no_answer', delivery_status: 'sent' });
  });
});

describe('lastDeadline', () => {
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  it('is the latest window end, or the close when that came first', () => {
    const ds = [{ closes_at: at(30) }, { closes_at: at(45) }, { closes_at: null }];
    expect(lastDeadline(ds, null)).toEqual(at(45));
    expect(lastDeadline(ds, at(10))).toEqual(at(10));
    expect(lastDeadline(ds, at(60))).toEqual(at(45));
    expect(lastDeadline([{ closes_at: null }], null)).toBeNull();
    expect(lastDeadline([], at(5))).toEqual(at(5));
  });
});

describe('summarize', () => {
  it('a closed broadcast is not open, says when it closed and whether it was revealed', () => {
    const r = summarize({
      broadcastId: 'b1',
      meetingId: '123456789',
      mode: 'direct',
      question,
      deliveries: [sent('a', 'A'), sent('b', 'B')],
      answers: [answer('a', 1, 9)],
      people: [person('a'), person('b')],
      controls: { closed_at: new Date(t0.getTime() + 5_000), revealed_at: null },
      graceSeconds: 2,
      now: new Date(t0.getTime() + 6_000),
    });
    expect(r).toMatchObject({
      open: false,
      closed_at: new Date(t0.getTime() + 5_000).toISOString(),
      closes_at: new Date(t0.getTime() + 5_000).toISOString(),
      revealed: false,
    });
    const open = summarize({
      broadcastId: 'b1',
      meetingId: '123456789',
      mode: 'direct',
      question,
      deliveries: [sent('a', 'A')],
      answers: [],
      people: [person('a')],
      controls: NOT_CLOSED,
      graceSeconds: 2,
      now: new Date(t0.getTime() + 6_000),
    });
    expect(open).toMatchObject({ open: true, closed_at: null, revealed: false });
  });

  it('counts per option with percentages, correct rate and responses', () => {
    const r = summarize({
      broadcastId: 'b1',
      meetingId: '123456789',
      mode: 'direct',
      question,
      deliveries: [sent('a', 'A'), sent('b', 'B'), sent('c', 'C')],
      answers: [answer('a', 1, 9), answer('b', 0, 0)],
      people: [person('a'), person('b'), person('c')],
      controls: NOT_CLOSED,
      graceSeconds: 2,
      now: new Date(t0.getTime() + 60_000),
    });
    expect(r.options.map((o) => [o.count, o.percent, o.correct])).toEqual([
      [1, 50, false],
      [1, 50, true],
      [0, 0, false],
    ]);
    expect(r).toMatchObject({
      open: false,
      recipients: 3,
      delivered: 3,
      answered: 2,
      not_answered: 1,
      correct_count: 1,
      correct_percent: 50,
    });
    expect(r.responses[0]).toMatchObject({ recipient_key: 'a', choice_text: 'Paris', score: 9 });
  });

  it('a survey has no correct counts', () => {
    const r = summarize({
      broadcastId: 'b1',
      meetingId: '1',
      mode: 'direct',
      question: { ...question, correct_answer: null },
      deliveries: [sent('a', 'A')],
      answers: [{ ...answer('a', 2, 0), correct: null }],
      people: [],
      controls: NOT_CLOSED,
      graceSeconds: 2,
      now: t0,
    });
    expect(r.correct_count).toBeNull();
    expect(r.correct_percent).toBeNull();
    expect(r.options.every((o) => o.correct === null)).toBe(true);
    expect(r.open).toBe(true);
  });
});

describe('resultsCsv', () => {
  it('writes answers then non-responders, neutralising hostile names', () => {
    const r = summarize({
      broadcastId: 'b1',
      meetingId: '1',
      mode: 'direct',
      question,
      deliveries: [sent('a', 'A'), sent('b', '=HYPERLINK("http://evil")')],
      answers: [answer('a', 1, 9)],
      people: [person('b', '=HYPERLINK("http://evil")')],
      controls: NOT_CLOSED,
      graceSeconds: 0,
      now: t0,
    });
    const lines = resultsCsv(r, question, [answer('a', 1, 9)], PLAIN).split('\r\n');
    // The original columns unchanged, the per-type ones after them.
    expect(lines[0]).toBe(
      'name,email,person_key,answered,choice,choice_text,correct,score,latency_ms,answered_at,in_meeting,status,identity,type,answer,value,credit',
    );
    expect(lines[1]).toBe(
      `A,a@x.example,a,yes,1,Paris,yes,9,1000,${r.responses[0].answered_at},,answered,verified,single,Paris,1,1`,
    );
    expect(lines[2]).toBe(
      `"'=HYPERLINK(""http://evil"")",b@x.example,b,no,,,,,,,yes,no_answer,verified,single,,,`,
    );
    expect(lines[3]).toBe('');
  });

  it('marks self-reported answers (typed on the shared channel link) as such', () => {
    const claimed: AnswerView = {
      ...answer('self:a@x.example', 1, 9),
      name: 'Mallory',
      email: 'a@x.example',
      self_reported: true,
    };
    const r = summarize({
      broadcastId: 'b1',
      meetingId: '1',
      mode: 'channel',
      question,
      deliveries: [sent('channel:c1', 'Meeting chat channel')],
      answers: [claimed],
      people: [],
      controls: NOT_CLOSED,
      graceSeconds: 0,
      now: t0,
    });
    expect(r).toMatchObject({ answered: 1, answered_verified: 0, answered_self_reported: 1 });
    expect(r.responses[0].identity).toBe('self_reported');
    expect(resultsCsv(r, question, [claimed], PLAIN).split('\r\n')[1]).toMatch(
      /^Mallory,a@x\.example,self:a@x\.example,.*,self_reported,single,Paris,1,1$/,
    );
  });
});

describe('summarize identity counts', () => {
  it('counts verified and self-reported answers apart (old answers without the field are verified)', () => {
    const r = summarize({
      broadcastId: 'b1',
      meetingId: '1',
      mode: 'direct',
      question,
      deliveries: [sent('a', 'A'), sent('b', 'B')],
      answers: [answer('a', 1, 9), { ...answer('b', 0, 0), self_reported: false }],
      people: [],
      controls: NOT_CLOSED,
      graceSeconds: 0,
      now: t0,
    });
    expect(r).toMatchObject({ answered: 2, answered_verified: 2, answered_self_reported: 0 });
    expect(r.responses.map((x) => x.identity)).toEqual(['verified', 'verified']);
  });
});

describe('rankLeaderboard', () => {
  it('sorts by total, then right answers, and shares ranks on ties', () => {
    const row = (key: string, total: number, correct: number) => ({
      recipient_key: key,
      self_reported: false,
      name: key,
      email: null,
      total,
      answered: 2,
      correct,
    });
    const ranked = rankLeaderboard([
      row('c', 10, 1),
      row('a', 20, 2),
      row('b', 10, 1),
      row('d', 5, 1),
    ]);
    expect(ranked.map((r) => [r.rank, r.person_key])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [2, 'c'],
      [4, 'd'],
    ]);
  });

  it('keeps a self-reported row apart from the verified person it names, and marks it', () => {
    const ranked = rankLeaderboard([
      {
        recipient_key: 'u-ada',
        self_reported: false,
        name: 'Ada',
        email: 'ada@x.example',
        total: 10,
        answered: 1,
        correct: 1,
      },
      {
        recipient_key: 'self:ada@x.example',
        self_reported: true,
        name: 'Mallory',
        email: 'ada@x.example',
        total: 50,
        answered: 1,
        correct: 1,
      },
    ]);
    expect(ranked.map((r) => [r.person_key, r.identity, r.name, r.total])).toEqual([
      ['self:ada@x.example', 'self_reported', 'Mallory', 50],
      ['u-ada', 'verified', 'Ada', 10],
    ]);
  });
});

describe('anonymous questions', () => {
  const numeric = questionSnapshot({
    type: 'numeric',
    title: 'Distance',
    question_text: 'How far?',
    correct_value: 5,
    tolerance: 0,
    unit: 'km',
    time_limit: 30,
    points: 10,
  });
  const anon = (value: number, at: number): AnswerView => ({
    recipient_key: `anon:${String(at).padStart(32, '0')}`,
    anonymous: true,
    self_reported: false,
    name: '',
    email: null,
    value,
    correct: value === 5,
    credit: value === 5 ? 1 : 0,
    score: value === 5 ? 10 : 0,
    latency_ms: at * 1000,
    answered_at: new Date(t0.getTime() + at * 1000),
  });
  // b answered (the delivery says so, nothing says what), c has not.
  const deliveries: DeliveryView[] = [
    { ...sent('a', 'A'), answered: true },
    { ...sent('b', 'B'), answered: true },
    sent('c', 'C'),
  ];
  const answers = [anon(7, 1), anon(5, 2)];
  const input = {
    broadcastId: 'b1',
    meetingId: '1',
    mode: 'direct' as const,
    anonymous: true,
    question: numeric,
    deliveries,
    answers,
    people: [person('a'), person('b'), person('c')],
    controls: NOT_CLOSED,
    graceSeconds: 0,
    now: t0,
  };

  it('results hold aggregates only; non-responders come from the deliveries’ answered flag', () => {
    const r = summarize(input);
    expect(r).toMatchObject({ anonymous: true, type: 'numeric', answered: 2, responses: [] });
    expect(r.summary).toMatchObject({ type: 'numeric', median: 6, min: 5, max: 7 });
    expect(r.non_responders.map((n) => n.person_key)).toEqual(['c']);
    expect(JSON.stringify(r)).not.toMatch(/anon:/);
  });

  it('CSV: one row per distinct value with its count, sorted by value, no time or key; then non-responders', () => {
    const csv = resultsCsv(summarize(input), numeric, [...answers, anon(7, 3)], PLAIN);
    expect(csv.split('\r\n')).toEqual([
      'answered,answer,value,count,correct,credit,name,email,person_key,in_meeting,status',
      'yes,5 km,5,1,yes,1,,,,,answered',
      'yes,7 km,7,2,no,0,,,,,answered',
      'no,,,,,,c,c@x.example,c,yes,no_answer',
      '',
    ]);
    expect(csv).not.toMatch(/anon:|T03:00/);
  });

  it('CSV rows do not follow the order answers arrived in', () => {
    const text = questionSnapshot({
      type: 'text',
      title: 'T',
      question_text: 'Q',
      time_limit: 30,
      points: 0,
    });
    const said = (t: string, at: number): AnswerView => ({
      ...anon(0, at),
      text: t,
      correct: null,
      credit: null,
    });
    const rows = (list: AnswerView[]) =>
      resultsCsv(summarize({ ...input, question: text, answers: list }), text, list, PLAIN)
        .split('\r\n')
        .filter((l) => l.startsWith('yes'));
    const one = rows([said('zebra', 1), said('Apple', 2), said('mango', 3)]);
    const other = rows([said('mango', 1), said('zebra', 2), said('Apple', 3)]);
    expect(one).toEqual(other);
    expect(one.map((l) => l.split(',')[1])).toEqual(['Apple', 'mango', 'zebra']);
  });

  it('the leaderboard leaves anonymous answers out', () => {
    const ranked = rankLeaderboard([
      {
        recipient_key: 'anon:0123456789abcdef0123456789abcdef',
        self_reported: false,
        name: '',
        email: null,
        total: 100,
        answered: 1,
        correct: 1,
      },
      {
        recipient_key: 'u-ada',
        self_reported: false,
        name: 'Ada',
        email: null,
        total: 7.5,
        answered: 2,
        correct: 0,
      },
    ]);
    expect(ranked.map((r) => [r.rank, r.person_key, r.total])).toEqual([[1, 'u-ada', 7.5]]);
  });
});

describe('summarize per type', () => {
  it('rows carry the value of the type, the answer in words and the credit', () => {
    const multiple = questionSnapshot({
      type: 'multiple',
      title: 'Seas',
      question_text: 'Which are seas?',
      options: ['Baltic', 'Sahara', 'Red'],
      correct_answers: [0, 2],
      time_limit: 30,
      points: 10,
    });
    const r = summarize({
      broadcastId: 'b1',
      meetingId: '1',
      mode: 'direct',
      question: multiple,
      deliveries: [sent('a', 'A')],
      answers: [
        { ...answer('a', 0, 5), choice: null, choices: [0, 1], correct: false, credit: 0.5 },
      ],
      people: [person('a')],
      controls: NOT_CLOSED,
      graceSeconds: 0,
      now: t0,
    });
    expect(r.question).toMatchObject({ type: 'multiple', correct_answers: [0, 2] });
    expect(r.responses[0]).toMatchObject({
      choice: null,
      choice_text: '',
      choices: [0, 1],
      answer_text: 'Baltic; Sahara',
      credit: 0.5,
      correct: false,
    });
    expect(r.summary).toMatchObject({ type: 'multiple', exact_matches: 0 });
    expect(r.mean_credit).toBe(0.5);
  });
});
