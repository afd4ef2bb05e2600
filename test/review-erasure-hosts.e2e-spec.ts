/**
 * Security review (issue 13): "erasure leaves no document in any collection that holds the email
 * or the person's Zoom ids". The host check remembers Zoom's `host_id` and `host_email` of every
 * meeting any key asked about (meeting_hosts); a student who hosts a meeting of their own on the
 * school's account (a study group) keeps both there after their erasure, and retention never
 * purges that collection either.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createInstructor } from './utils/instructors';
import { TEST_API_KEY } from './utils/test-app';
import { startZoomWorld, type ZoomWorld } from './utils/zoom-world';

describe('Review: erasure and remembered meeting hosts (e2e)', () => {
  let world: ZoomWorld;
  let connection: Connection;

  beforeAll(async () => {
    world = await startZoomWorld();
    connection = world.app.app.get<Connection>(getConnectionToken());
  });
  afterAll(async () => world.close());

  it("removes the person's email and Zoom user id from every collection, remembered hosts included", async () => {
    const { sim } = world;
    const url = world.app.url;
    const email = 'carol.student@example.com';
    const student = sim.addUser({ email, name: 'Carol' });
    // Carol attends a class...
    const lesson = sim.createMeeting({ topic: 'Class', hostEmail: 'prof.h@example.com' });
    sim.startMeeting(String(lesson.id));
    sim.join(String(lesson.id), { name: 'Carol', email, zoomUserId: student.id });
    await sim.flushWebhooks();
    // ...and hosts a study group, which some instructor asked about (and was refused).
    const studyGroup = sim.createMeeting({ topic: 'Study group', hostEmail: email });
    const instructor = await createInstructor(world.app, { role: 'instructor' });
    await request(url)
      .get(`/api/meetings/${String(studyGroup.id)}/participants`)
      .set('X-API-Key', instructor.key)
      .expect(403);

    await request(url)
      .delete(`/api/people/${encodeURIComponent(email)}`)
      .set('X-API-Key', TEST_API_KEY)
      .expect(200);

    const db = connection.db;
    if (!db) throw new Error('no database');
    const holding: string[] = [];
    for (const { name } of await db.listCollections().toArray()) {
      for (const doc of await db.collection(name).find({}).toArray()) {
        const json = JSON.stringify(doc).toLowerCase();
        if (json.includes(email) || json.includes(student.id.toLowerCase())) holding.push(name);
      }
    }
    expect(holding).toEqual([]);
  });
});
