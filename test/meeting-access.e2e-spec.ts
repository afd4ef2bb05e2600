import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { Types } from 'mongoose';
import { MeetingAccessService } from '../src/access/meeting-access.service';
import { ZoomApiError } from '../src/zoom/zoom-api.error';
import type { Actor } from '../src/common/auth/actor';
import { actorFor } from './utils/actors';
import { createInstructor } from './utils/instructors';
import { SettableClock } from './utils/settable-clock';
import { startZoomWorld, type ZoomWorld } from './utils/zoom-world';

/**
 * Meeting access as the services see it (docs/architecture.md §10): real database, the Zoom
 * simulator over HTTP saying who hosts each meeting, actors built here.
 */
describe('Meeting access (service, database and Zoom simulator)', () => {
  const clock = new SettableClock();
  let world: ZoomWorld;
  let access: MeetingAccessService;

  beforeAll(async () => {
    world = await startZoomWorld({
      app: { customize: (b) => clock.install(b), env: { ZOOM_MAX_ATTEMPTS: '1' } },
    });
    access = world.app.app.get(MeetingAccessService);
  });
  afterAll(async () => world.close());
  afterEach(() => {
    clock.reset();
    world.sim.setFaults({ serverErrorRatio: 0 });
  });

  const newId = () => new Types.ObjectId().toHexString();
  /** A stored account (grants go to existing instructors only), as its actor. */
  async function account(role: 'instructor' | 'assistant'): Promise<Actor> {
    return actorFor((await createInstructor(world.app, { role })).id, role);
  }
  const idOf = (actor: Actor) => new Types.ObjectId(actor.instructorId!);
  /** A meeting Zoom says `email` hosts (the simulator makes them a user with an id). */
  function hostedBy(email: string): { meetingId: string; hostId: string } {
    const meeting = world.sim.createMeeting({ topic: 'Algebra', hostEmail: email });
    return { meetingId: String(meeting.id), hostId: meeting.host_id };
  }
  const meetingLookups = (meetingId: string) =>
    world.sim.requests().filter((r) => r.method === 'GET' && r.path === `/v2/meetings/${meetingId}`)
      .length;

  it('matches the host by Zoom user id, or by email in any case; others are refused with the reason', async () => {
    const { meetingId, hostId } = hostedBy('prof.a@example.com');
    const byId = actorFor(newId(), 'instructor', { zoomUserId: hostId });
    const byEmail = actorFor(newId(), 'instructor', { email: 'Prof.A@Example.COM' });
    const other = actorFor(newId(), 'instructor', {
      email: 'prof.b@example.com',
      zoomUserId: 'someone-else',
    });

    await expect(access.levelOf(byId, meetingId)).resolves.toBe('manage');
    await expect(access.levelOf(byEmail, meetingId)).resolves.toBe('manage');
    await expect(access.require(byEmail, meetingId, 'send')).resolves.toBeUndefined();
    await expect(access.levelOf(other, meetingId)).resolves.toBeNull();
    const refused = access.require(other, meetingId, 'send');
    await expect(refused).rejects.toBeInstanceOf(ForbiddenException);
    await expect(refused).rejects.toThrow(
      `You do not host meeting ${meetingId} and have no grant for it; ask its host or an admin`,
    );
  });

  it('remembers what Zoom said, and asks again about "not host" after a few minutes', async () => {
    const { meetingId } = hostedBy('prof.c@example.com');
    const host = actorFor(newId(), 'instructor', { email: 'prof.c@example.com' });
    const other = actorFor(newId(), 'instructor', { email: 'prof.d@example.com' });
    const start = Date.now();
    clock.set(start);

    await expect(access.levelOf(host, meetingId)).resolves.toBe('manage');
    expect(meetingLookups(meetingId)).toBe(1);
    await expect(access.levelOf(other, meetingId)).resolves.toBeNull();
    await expect(access.levelOf(host, meetingId)).resolves.toBe('manage');
    expect(meetingLookups(meetingId)).toBe(1);

    clock.set(start + 3 * 60_000);
    await expect(access.levelOf(host, meetingId)).resolves.toBe('manage');
    expect(meetingLookups(meetingId)).toBe(1);
    await expect(access.levelOf(other, meetingId)).resolves.toBeNull();
    expect(meetingLookups(meetingId)).toBe(2);
  });

  it("answers Zoom's 404 for a meeting Zoom does not know, and asks again once it exists", async () => {
    const meetingId = '81234567890';
    const prof = actorFor(newId(), 'instructor', { email: 'prof.e@example.com' });
    const unknown = access.require(prof, meetingId, 'send');
    await expect(unknown).rejects.toBeInstanceOf(ZoomApiError);
    await expect(unknown).rejects.toMatchObject({ status: 404, code: 3001 });

    world.sim.createMeeting({ id: meetingId, hostEmail: 'prof.e@example.com' });
    await expect(access.require(prof, meetingId, 'send')).resolves.toBeUndefined();
  });

  it('never guesses "host" when Zoom does not answer', async () => {
    const { meetingId } = hostedBy('prof.f@example.com');
    const prof = actorFor(newId(), 'instructor', { email: 'prof.f@example.com' });
    world.sim.setFaults({ serverErrorRatio: 1 });
    const refused = access.require(prof, meetingId, 'read');
    await expect(refused).rejects.toBeInstanceOf(ZoomApiError);
    await expect(refused).rejects.toThrow(`Cannot tell whether you host meeting ${meetingId}`);
    world.sim.setFaults({ serverErrorRatio: 0 });
    await expect(access.require(prof, meetingId, 'read')).resolves.toBeUndefined();
  });

  it('lets a grant work without asking Zoom, capped by the account role; revoking ends it', async () => {
    const { meetingId } = hostedBy('prof.g@example.com');
    const host = actorFor(newId(), 'instructor', { email: 'prof.g@example.com' });
    const colleague = await account('instructor');
    const helper = await account('assistant');

    await expect(access.require(colleague, meetingId, 'send')).rejects.toBeInstanceOf(
      ForbiddenException,
    );
    await access.grant(host, meetingId, idOf(colleague), 'instructor');
    await access.grant(host, meetingId, idOf(helper), 'instructor');
    const lookups = meetingLookups(meetingId);
    await expect(access.require(colleague, meetingId, 'send')).resolves.toBeUndefined();
    expect(meetingLookups(meetingId)).toBe(lookups);
    await expect(access.require(colleague, meetingId, 'manage')).rejects.toThrow(
      `Only meeting ${meetingId}'s host or an admin may manage its grants`,
    );
    await expect(
      access.grant(colleague, meetingId, idOf(helper), 'assistant'),
    ).rejects.toBeInstanceOf(ForbiddenException);

    // An assistant account reminds and reads, never sends, whatever its grant says.
    await expect(access.require(helper, meetingId, 'remind')).resolves.toBeUndefined();
    await expect(access.require(helper, meetingId, 'send')).rejects.toThrow(
      `An assistant account may not send questions to meeting ${meetingId}`,
    );

    const listed = await access.listGrants(helper, meetingId);
    expect(listed.map((g) => [g.instructor_id, g.role]).sort()).toEqual(
      [
        [colleague.instructorId, 'instructor'],
        [helper.instructorId, 'instructor'],
      ].sort(),
    );

    await access.revoke(host, meetingId, idOf(colleague));
    await expect(access.require(colleague, meetingId, 'send')).rejects.toThrow(
      `You do not host meeting ${meetingId} and have no grant for it`,
    );
    await expect(access.revoke(host, meetingId, idOf(colleague))).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });

  it("answers the data's own 404 to someone who may not read the meeting, 403 to one who may read", async () => {
    const { meetingId } = hostedBy('prof.h@example.com');
    const host = actorFor(newId(), 'instructor', { email: 'prof.h@example.com' });
    const stranger = actorFor(newId(), 'instructor', { email: 'prof.i@example.com' });
    const helper = await account('instructor');
    await access.grant(host, meetingId, idOf(helper), 'assistant');
    const notFound = () => new NotFoundException('Broadcast x not found');

    await expect(access.requireOnData(stranger, meetingId, 'read', notFound)).rejects.toThrow(
      'Broadcast x not found',
    );
    await expect(
      access.requireOnData(helper, meetingId, 'read', notFound),
    ).resolves.toBeUndefined();
    const retry = access.requireOnData(helper, meetingId, 'send', notFound);
    await expect(retry).rejects.toBeInstanceOf(ForbiddenException);
    await expect(retry).rejects.toThrow(/lets you send reminders to it, not send questions to it/);
    // A meeting Zoom never knew: still the data's 404, not Zoom's.
    await expect(access.requireOnData(stranger, '89999999999', 'read', notFound)).rejects.toThrow(
      'Broadcast x not found',
    );
  });
});
