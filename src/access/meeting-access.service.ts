import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { Actor } from '../common/auth/actor';
import type { PersonIdentity } from '../common/personal-data';
import { retryLostInsertRace } from '../database/duplicate-key';
import { InstructorsService } from '../instructors/instructors.service';
import { ZoomApiError } from '../zoom/zoom-api.error';
import {
  includesLevel,
  meetingLevel,
  refusal,
  ROLE_CAP,
  type GrantRole,
  type MeetingLevel,
} from './access.types';
import { MeetingHostsService } from './meeting-hosts.service';
import { grantKey, MeetingGrant, MeetingGrantDocument } from './schemas/meeting-grant.schema';

/**
 * Who may do what in a meeting (the rule: meetingLevel in access.types.ts). Other modules call
 * `require` before acting on a meeting they were named, and `requireOnData` before showing data
 * that belongs to a meeting (a broadcast, its results): there someone who may not read the meeting
 * gets the data's own 404, since the data's id is not theirs to know.
 */
@Injectable()
export class MeetingAccessService {
  constructor(
    @InjectModel(MeetingGrant.name) private readonly grants: Model<MeetingGrant>,
    private readonly hosts: MeetingHostsService,
    private readonly instructors: InstructorsService,
  ) {}

  /**
   * The actor's level in the meeting, or null. Asks whether they host it (maybe asking Zoom) only
   * when their grant gives less than `enough` and their role would allow more.
   */
  async levelOf(
    actor: Actor,
    meetingId: string,
    enough: MeetingLevel = 'manage',
  ): Promise<MeetingLevel | null> {
    if (actor.role === 'admin') return 'manage';
    const grant = await this.grantOf(actor, meetingId);
    const granted = meetingLevel({ role: actor.role, grant, isHost: false });
    if (includesLevel(granted, enough) || granted === ROLE_CAP[actor.role]) return granted;
    const isHost = await this.hosts.isHost(meetingId, actor);
    return meetingLevel({ role: actor.role, grant, isHost });
  }

  /** 403 with the reason unless the actor may do `needed` in the meeting. */
  async require(actor: Actor, meetingId: string, needed: MeetingLevel): Promise<void> {
    const level = await this.levelOf(actor, meetingId, needed);
    if (!includesLevel(level, needed)) {
      throw new ForbiddenException(refusal(meetingId, actor.role, level, needed));
    }
  }

  /**
   * For data of the meeting found by its own id: `notFound` (the data's 404) when the actor may
   * not even read the meeting, 403 with the reason when they may read but need more.
   */
  async requireOnData(
    actor: Actor,
    meetingId: string,
    needed: MeetingLevel,
    notFound: () => NotFoundException,
  ): Promise<void> {
    let level: MeetingLevel | null;
    try {
      level = await this.levelOf(actor, meetingId, needed);
    } catch (error) {
      // Zoom has never heard of the meeting and nobody granted it: nothing here is theirs.
      if (error instanceof ZoomApiError && error.status === 404) throw notFound();
      throw error;
    }
    if (level === null) throw notFound();
    if (!includesLevel(level, needed)) {
      throw new ForbiddenException(refusal(meetingId, actor.role, level, needed));
    }
  }

  /**
   * PUT /api/meetings/{meeting_id}/instructors/{instructor_id}: by the host or an admin, to an
   * existing account (404 otherwise, told only to those who may manage the meeting).
   */
  async grant(
    actor: Actor,
    meetingId: string,
    grantee: Types.ObjectId,
    role: GrantRole,
  ): Promise<MeetingGrantDocument> {
    await this.require(actor, meetingId, 'manage');
    await this.instructors.findById(grantee);
    const instructorId = grantee.toHexString();
    const _id = grantKey(meetingId, instructorId);
    const grant = await retryLostInsertRace(() =>
      this.grants
        .findOneAndUpdate(
          { _id },
          {
            $set: { role, granted_by: actor.instructorId },
            $setOnInsert: { meeting_id: meetingId, instructor_id: instructorId },
          },
          { upsert: true, new: true },
        )
        .exec(),
    );
    return grant;
  }

  /** DELETE /api/meetings/{meeting_id}/instructors/{instructor_id}: 404 when there was none. */
  async revoke(actor: Actor, meetingId: string, grantee: Types.ObjectId): Promise<void> {
    await this.require(actor, meetingId, 'manage');
    const instructorId = grantee.toHexString();
    const result = await this.grants.deleteOne({ _id: grantKey(meetingId, instructorId) }).exec();
    if (result.deletedCount === 0) {
      throw new NotFoundException(
        `Instructor ${instructorId} has no grant for meeting ${meetingId}`,
      );
    }
  }

  /** GET /api/meetings/{meeting_id}/instructors: for anyone who may read the meeting. */
  async listGrants(actor: Actor, meetingId: string): Promise<MeetingGrantDocument[]> {
    await this.require(actor, meetingId, 'read');
    return this.grants.find({ meeting_id: meetingId }).sort({ instructor_id: 1 }).exec();
  }

  /** Erasure: the remembered host facts that name the person (MeetingHostsService). */
  async erasePerson(person: PersonIdentity): Promise<number> {
    return this.hosts.erasePerson(person);
  }

  /** Retention: remembered host facts not checked since `cutoff` (MeetingHostsService). */
  async purgeBefore(cutoff: Date): Promise<number> {
    return this.hosts.purgeBefore(cutoff);
  }

  private async grantOf(actor: Actor, meetingId: string): Promise<GrantRole | null> {
    if (actor.instructorId === null) return null;
    const grant = await this.grants
      .findById(grantKey(meetingId, actor.instructorId), { role: 1 })
      .lean()
      .exec();
    return grant?.role ?? null;
  }
}
