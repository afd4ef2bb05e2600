import request from 'supertest';
import { parseCsv } from './utils/csv';
import { createInstructor, type CreatedInstructor } from './utils/instructors';
import { TEST_API_KEY } from './utils/test-app';
import { startZoomWorld, type ZoomWorld } from './utils/zoom-world';

/**
 * Courses (issue 18) over HTTP against the real app, database and Zoom simulator: CRUD owned
 * like questions, the meeting check when a course names meetings and when its records are read,
 * paging, and the roster in CSV and JSON, all or nothing.
 */
describe('Courses (e2e)', () => {
  let world: ZoomWorld;
  let url: string;
  let owner: CreatedInstructor;
  let other: CreatedInstructor;
  let adminRecord: CreatedInstructor;
  let assistant: CreatedInstructor;
  /** Hosted by the owner (Zoom says so). */
  let ownMeeting: string;
  let ownSecondMeeting: string;
  /** Hosted by the other instructor. */
  let othersMeeting: string;

  const as = (who: CreatedInstructor | string) => ({
    'X-API-Key': typeof who === 'string' ? who : who.key,
  });
  const api = () => request(url);
  const createCourse = async (
    who: CreatedInstructor,
    body: Record<string, unknown> = { title: 'Physics 101', meeting_ids: [ownMeeting] },
  ): Promise<string> =>
    (await api().post('/api/courses').set(as(who)).send(body).expect(201)).body.id as string;

  beforeAll(async () => {
    world = await startZoomWorld({ app: { name: 'courses' } });
    url = world.app.url;
    // One at a time: the test server can fail concurrent inserts under a unique index.
    owner = await createInstructor(world.app, { role: 'instructor' });
    other = await createInstructor(world.app, { role: 'instructor' });
    adminRecord = await createInstructor(world.app, { role: 'admin' });
    assistant = await createInstructor(world.app, { role: 'assistant' });
    ownMeeting = String(world.sim.createMeeting({ topic: 'Physics', hostEmail: owner.email }).id);
    ownSecondMeeting = String(
      world.sim.createMeeting({ topic: 'Physics lab', hostEmail: owner.email }).id,
    );
    othersMeeting = String(world.sim.createMeeting({ topic: 'Chem', hostEmail: other.email }).id);
  }, 120_000);
  afterAll(async () => world?.close());

  describe('CRUD and ownership', () => {
    it('creates a course (meetings deduplicated, numbers accepted as JSON numbers) and reads it back', async () => {
      const res = await api()
        .post('/api/courses')
        .set(as(owner))
        .send({ title: 'Physics 101', meeting_ids: [ownMeeting, Number(ownMeeting)] })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        title: 'Physics 101',
        meeting_ids: [ownMeeting],
        owner_id: owner.id,
        roster_size: 0,
        roster_updated_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const read = await api().get(`/api/courses/${res.body.id}`).set(as(owner)).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it("answers another instructor's course 404 on every route; an admin sees and changes it", async () => {
      const id = await createCourse(owner);
      for (const [method, path] of [
        ['get', `/api/courses/${id}`],
        ['patch', `/api/courses/${id}`],
        ['delete', `/api/courses/${id}`],
        ['get', `/api/courses/${id}/roster`],
        ['get', `/api/courses/${id}/roster.csv`],
        ['put', `/api/courses/${id}/roster`],
        ['get', `/api/courses/${id}/gradebook`],
        ['get', `/api/courses/${id}/gradebook.csv`],
        ['get', `/api/courses/${id}/attendance`],
        ['get', `/api/courses/${id}/attendance.csv`],
      ] as const) {
        const res = await api()
          [method](path)
          .set(as(other))
          .send(
            method === 'put' ? { students: [] } : method === 'patch' ? { title: 'x' } : undefined,
          );
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      }
      const listed = await api().get('/api/courses').set(as(other)).expect(200);
      expect(listed.body.items.map((c: { id: string }) => c.id)).not.toContain(id);

      await api().get(`/api/courses/${id}`).set(as(adminRecord)).expect(200);
      await api().get(`/api/courses/${id}`).set(as(TEST_API_KEY)).expect(200);
      await api()
        .patch(`/api/courses/${id}`)
        .set(as(adminRecord))
        .send({ title: 'Renamed by an admin' })
        .expect(200);
      const read = await api().get(`/api/courses/${id}`).set(as(owner)).expect(200);
      expect(read.body.title).toBe('Renamed by an admin');
    });

    it('refuses an assistant on every course route (403)', async () => {
      await api().get('/api/courses').set(as(assistant)).expect(403);
      await api()
        .post('/api/courses')
        .set(as(assistant))
        .send({ title: 'x', meeting_ids: [] })
        .expect(403);
    });

    it('patches the title and the meetings, and deletes', async () => {
      const id = await createCourse(owner);
      const patched = await api()
        .patch(`/api/courses/${id}`)
        .set(as(owner))
        .send({
          title: 'Physics 102',
          meeting_ids: [ownSecondMeeting, ownMeeting, ownSecondMeeting],
        })
        .expect(200);
      expect(patched.body).toMatchObject({
        title: 'Physics 102',
        meeting_ids: [ownSecondMeeting, ownMeeting],
      });
      // A PATCH that names nothing to change, or has no body, is a mistake: 400, nothing changed.
      const empty = await api().patch(`/api/courses/${id}`).set(as(owner)).send({}).expect(400);
      expect(empty.body.message).toBe('Nothing to change: send title, meeting_ids or both');
      await api().patch(`/api/courses/${id}`).set(as(owner)).expect(400);
      const same = await api().get(`/api/courses/${id}`).set(as(owner)).expect(200);
      expect(same.body.title).toBe('Physics 102');
      await api().delete(`/api/courses/${id}`).set(as(owner)).expect(204);
      await api().get(`/api/courses/${id}`).set(as(owner)).expect(404);
      await api().delete(`/api/courses/${id}`).set(as(owner)).expect(404);
    });

    it('answers bad input 400 naming the field', async () => {
      const bad = async (body: unknown, field: string) => {
        const res = await api()
          .post('/api/courses')
          .set(as(owner))
          .send(body as object);
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      };
      await bad({ meeting_ids: [] }, 'title');
      await bad({ title: '   ', meeting_ids: [] }, 'title');
      await bad({ title: 'x'.repeat(201) }, 'title');
      await bad({ title: 'T', meeting_ids: ['abc'] }, 'meeting_ids');
      await bad({ title: 'T', meeting_ids: '123456789' }, 'meeting_ids');
      await bad({ title: 'T', meeting_ids: null }, 'meeting_ids');
      await bad(
        { title: 'T', meeting_ids: Array.from({ length: 101 }, (_, i) => String(100000000 + i)) },
        'meeting_ids',
      );
      await bad({ title: 'T', owner_id: owner.id }, 'owner_id');
      // PATCH alike; an explicit null is refused, never stored.
      const id = await createCourse(owner);
      for (const [body, field] of [
        [{ title: null }, 'title'],
        [{ meeting_ids: null }, 'meeting_ids'],
        [{ title: '' }, 'title'],
        [{ meeting_ids: ['12'] }, 'meeting_ids'],
        [{ roster: [] }, 'roster'],
      ] as const) {
        const res = await api().patch(`/api/courses/${id}`).set(as(owner)).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      }
      const unchanged = await api().get(`/api/courses/${id}`).set(as(owner)).expect(200);
      expect(unchanged.body).toMatchObject({ title: 'Physics 101', meeting_ids: [ownMeeting] });
      await api().get('/api/courses/not-an-id').set(as(owner)).expect(400);
      await api().get('/api/courses?limit=0').set(as(owner)).expect(400);
      await api().get('/api/courses?cursor=bm90LWEtY3Vyc29y').set(as(owner)).expect(400);
    });
  });

  describe('meeting access', () => {
    it('refuses a course naming a meeting the caller cannot read (403 naming it), at create and patch', async () => {
      const created = await api()
        .post('/api/courses')
        .set(as(owner))
        .send({ title: 'Sneaky', meeting_ids: [ownMeeting, othersMeeting] })
        .expect(403);
      expect(created.body.message).toContain(othersMeeting);
      const id = await createCourse(owner);
      const patched = await api()
        .patch(`/api/courses/${id}`)
        .set(as(owner))
        .send({ meeting_ids: [ownMeeting, othersMeeting] })
        .expect(403);
      expect(patched.body.message).toContain(othersMeeting);
      const read = await api().get(`/api/courses/${id}`).set(as(owner)).expect(200);
      expect(read.body.meeting_ids).toEqual([ownMeeting]);
      // An admin may name any meeting.
      await api()
        .post('/api/courses')
        .set(as(adminRecord))
        .send({ title: 'Admin', meeting_ids: [othersMeeting] })
        .expect(201);
    });

    it('checks the meetings again when the records are read: a withdrawn grant is 403', async () => {
      // The other instructor grants the owner their meeting, the owner names it, then the grant goes.
      await api()
        .put(`/api/meetings/${othersMeeting}/instructors/${owner.id}`)
        .set(as(other))
        .send({ role: 'instructor' })
        .expect(200);
      const id = await createCourse(owner, { title: 'Shared', meeting_ids: [othersMeeting] });
      // While granted the records route gets past the check (the computation is another module's).
      const before = await api().get(`/api/courses/${id}/gradebook`).set(as(owner));
      expect([200, 501]).toContain(before.status);
      await api()
        .delete(`/api/meetings/${othersMeeting}/instructors/${owner.id}`)
        .set(as(other))
        .expect(204);
      for (const path of ['gradebook', 'gradebook.csv', 'attendance', 'attendance.csv']) {
        const res = await api().get(`/api/courses/${id}/${path}`).set(as(owner));
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
        expect(res.body.message).toContain(othersMeeting);
      }
      // The course itself stays the owner's: its title can still change.
      await api().patch(`/api/courses/${id}`).set(as(owner)).send({ title: 'Renamed' }).expect(200);
    });
  });

  it('lists newest first, by page and by cursor, only the caller’s own', async () => {
    const lister = await createInstructor(world.app, { role: 'instructor' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await createCourse(lister, { title: `Course ${i}`, meeting_ids: [] }));
    }
    const newestFirst = [...ids].reverse();
    const first = await api().get('/api/courses?limit=2').set(as(lister)).expect(200);
    expect(first.body).toMatchObject({ total: 5, limit: 2, page: 1 });
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual(newestFirst.slice(0, 2));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/api/courses?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api().get(path).set(as(lister)).expect(200);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(newestFirst);
    const third = await api().get('/api/courses?limit=2&page=3').set(as(lister)).expect(200);
    expect(third.body.items.map((c: { id: string }) => c.id)).toEqual(newestFirst.slice(4));
  });

  describe('roster', () => {
    const putCsv = (id: string, text: string, query = '') =>
      api()
        .put(`/api/courses/${id}/roster${query}`)
        .set(as(owner))
        .set('Content-Type', 'text/csv')
        .send(text);
    const rosterOf = async (id: string) =>
      (await api().get(`/api/courses/${id}/roster`).set(as(owner)).expect(200)).body;

    it('takes JSON, answers the roster, and counts students without an email', async () => {
      const id = await createCourse(owner);
      const res = await api()
        .put(`/api/courses/${id}/roster`)
        .set(as(owner))
        .send({
          students: [
            { name: 'Ada Lovelace', email: 'Ada@Example.edu', student_id: 's1' },
            { name: 'Alan Turing', student_id: 's2' },
          ],
        })
        .expect(200);
      expect(res.body).toEqual({
        course_id: id,
        students: [
          { name: 'Ada Lovelace', email: 'ada@example.edu', student_id: 's1' },
          { name: 'Alan Turing', email: null, student_id: 's2' },
        ],
        count: 2,
        without_email: 1,
        roster_updated_at: expect.any(String),
      });
      expect(await rosterOf(id)).toEqual(res.body);
      const course = await api().get(`/api/courses/${id}`).set(as(owner)).expect(200);
      expect(course.body).toMatchObject({ roster_size: 2, roster_updated_at: expect.any(String) });
    });

    it('takes CSV as spreadsheets write it: BOM, CRLF, quoted commas and quotes, columns in any order', async () => {
      const id = await createCourse(owner);
      const text =
        '\uFEFFStudent_ID,Email,NAME\r\n' +
        's1,ada@example.edu,"Lovelace, Ada"\r\n' +
        's2,grace@example.edu,"Grace ""Amazing"" Hopper"\r\n' +
        's3,,"Multi\r\nLine"\r\n';
      const res = await putCsv(id, text).expect(200);
      expect(res.body.students).toEqual([
        { name: 'Lovelace, Ada', email: 'ada@example.edu', student_id: 's1' },
        { name: 'Grace "Amazing" Hopper', email: 'grace@example.edu', student_id: 's2' },
        { name: 'Multi\r\nLine', email: null, student_id: 's3' },
      ]);
      // LF line ends and no BOM too; the upload replaces the whole roster.
      await putCsv(id, 'name,email\nAlan Turing,alan@example.edu\n').expect(200);
      expect((await rosterOf(id)).students).toEqual([
        { name: 'Alan Turing', email: 'alan@example.edu', student_id: null },
      ]);
      // A ";"-separated file, as spreadsheets in decimal-comma locales save it.
      await putCsv(
        id,
        'name;email\r\n"Turing; Alan";alan@example.edu\r\n',
        '?delimiter=semicolon',
      ).expect(200);
      expect((await rosterOf(id)).students[0].name).toBe('Turing; Alan');
    });

    it('downloads the roster as CSV (BOM, CRLF, formulas neutralised, ";" on request) that uploads again as it was', async () => {
      const id = await createCourse(owner);
      const students = [
        { name: 'Lovelace, Ada', email: 'ada@example.edu', student_id: 's1' },
        { name: '=HYPERLINK("http://evil.example")', email: null, student_id: 's2' },
      ];
      await api().put(`/api/courses/${id}/roster`).set(as(owner)).send({ students }).expect(200);
      const res = await api().get(`/api/courses/${id}/roster.csv`).set(as(owner)).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="roster-${id}.csv"`);
      expect(res.text.startsWith('\uFEFFname,email,student_id\r\n')).toBe(true);
      expect(parseCsv(res.text)).toEqual([
        ['name', 'email', 'student_id'],
        ['Lovelace, Ada', 'ada@example.edu', 's1'],
        [`'=HYPERLINK("http://evil.example")`, '', 's2'],
      ]);
      const semicolon = await api()
        .get(`/api/courses/${id}/roster.csv?delimiter=semicolon`)
        .set(as(owner))
        .expect(200);
      expect(parseCsv(semicolon.text, ';')[1]).toEqual(['Lovelace, Ada', 'ada@example.edu', 's1']);
      // The download is the upload format: it goes back in unchanged (the apostrophe stays text).
      const again = await putCsv(id, res.text).expect(200);
      expect(again.body.students[0]).toEqual(students[0]);
    });

    it('refuses a file with bad lines whole: one error per bad line, the previous roster kept', async () => {
      const id = await createCourse(owner);
      await putCsv(id, 'name,email\r\nAda,ada@example.edu\r\n').expect(200);
      const before = await rosterOf(id);
      const bad = [
        'name,email,student_id', // 1
        'Bob,bob@example.edu,s1', // 2: fine
        ',carl@example.edu,s2', // 3: no name
        'Dora,not-an-email,s3', // 4
        'Eve,BOB@example.edu,s4', // 5: the email of line 2
        'Fay,fay@example.edu,s1', // 6: the student id of line 2
      ].join('\r\n');
      const res = await putCsv(id, bad).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringContaining('Roster not stored: 4 problems (line 3, name: required;'),
        details: [
          { line: 3, field: 'name', reason: 'required' },
          { line: 4, field: 'email', reason: 'not a valid email address' },
          { line: 5, field: 'email', reason: 'also on line 2' },
          { line: 6, field: 'student_id', reason: 'also on line 2' },
        ],
      });
      expect(await rosterOf(id)).toEqual(before);
      // JSON alike: entries named by their index.
      const json = await api()
        .put(`/api/courses/${id}/roster`)
        .set(as(owner))
        .send({ students: [{ name: 'Gus', email: 'gus@example.edu' }, { email: 'x@example.edu' }] })
        .expect(400);
      expect(json.body.details).toEqual([{ index: 1, field: 'name', reason: 'required' }]);
      expect(await rosterOf(id)).toEqual(before);
    });

    it('refuses over-limit rosters (413), other media types (415) and bodies that are not a roster (400)', async () => {
      const id = await createCourse(owner);
      await putCsv(id, 'name,email\r\nAda,ada@example.edu\r\n').expect(200);
      const before = await rosterOf(id);
      const lines = Array.from({ length: 5001 }, (_, i) => `S${i},s${i}@example.edu`);
      const tooMany = await putCsv(id, ['name,email', ...lines].join('\r\n')).expect(413);
      expect(tooMany.body.message).toBe('A roster holds at most 5000 students; this one has 5001');
      // JSON too: a roster of thousands fits the route's body limit, so the count is what refuses.
      const students = Array.from({ length: 5001 }, (_, i) => ({
        name: `S${i}`,
        student_id: `${i}`,
      }));
      const tooManyJson = await api()
        .put(`/api/courses/${id}/roster`)
        .set(as(owner))
        .send({ students })
        .expect(413);
      expect(tooManyJson.body.message).toBe(
        'A roster holds at most 5000 students; this one has 5001',
      );
      await putCsv(id, `name,email\r\n${'x'.repeat(2 * 1024 * 1024)},a@example.edu\r\n`).expect(
        413,
      );
      await api()
        .put(`/api/courses/${id}/roster`)
        .set(as(owner))
        .set('Content-Type', 'text/plain')
        .send('name,email\nAda,ada@example.edu\n')
        .expect(415);
      const notRoster = await api()
        .put(`/api/courses/${id}/roster`)
        .set(as(owner))
        .send([{ name: 'Ada', email: 'ada@example.edu' }])
        .expect(400);
      expect(notRoster.body.message).toContain('{"students"');
      await putCsv(id, 'name,email', '?delimiter=tab').expect(400);
      expect(await rosterOf(id)).toEqual(before);
    });

    it('takes an erased person off every roster (DELETE /api/people/{email}), and no one else', async () => {
      const first = await createCourse(owner);
      const second = await createCourse(owner);
      const students = [
        { name: 'Erin Erased', email: 'erin.erased@example.edu', student_id: 'e1' },
        { name: 'Kim Kept', email: 'kim@example.edu', student_id: 'k1' },
      ];
      for (const id of [first, second]) {
        await api().put(`/api/courses/${id}/roster`).set(as(owner)).send({ students }).expect(200);
      }
      const erased = await api()
        .delete(`/api/people/${encodeURIComponent('Erin.Erased@Example.EDU')}`)
        .set(as(TEST_API_KEY))
        .expect(200);
      expect(erased.body.removed.roster_entries).toBe(2);
      for (const id of [first, second]) {
        expect((await rosterOf(id)).students).toEqual([students[1]]);
        const course = await api().get(`/api/courses/${id}`).set(as(owner)).expect(200);
        expect(course.body.roster_size).toBe(1);
      }
    });
  });

  it('documents the roster upload as text/csv and JSON, each with its own schema, and every route as an instructor route', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    const put = doc.paths['/api/courses/{id}/roster'].put;
    expect(put.requestBody.content).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/RosterUploadDto' } },
      'text/csv': { schema: { type: 'string' }, example: expect.stringContaining('name,email') },
    });
    expect(put['x-audit-action']).toBe('course.roster_replaced');
    expect(Object.keys(put.responses)).toEqual(
      expect.arrayContaining(['200', '400', '404', '413', '415']),
    );
    const courseOps = Object.entries(doc.paths as Record<string, Record<string, object>>)
      .filter(([path]) => path.startsWith('/api/courses'))
      .flatMap(([, ops]) => Object.values(ops) as Array<{ 'x-required-role'?: string }>);
    expect(courseOps).toHaveLength(12);
    expect(new Set(courseOps.map((op) => op['x-required-role']))).toEqual(new Set(['instructor']));
  });
});
