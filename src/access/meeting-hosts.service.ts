import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Clock } from '../common/clock';
import { emailMatcher, type PersonIdentity } from '../common/personal-data';
import { retryLostInsertRace } from '../database/duplicate-key';
import { ZoomApiError, ZoomConfigError } from '../zoom/zoom-api.error';
import { ZoomMeetingsService } from '../zoom/zoom-meetings.service';
import { MeetingHost } from './schemas/meeting-host.schema';

/**
 * How long a remembered answer stands before Zoom is asked again. "Not you" is re-asked soon: the
 * meeting may have been scheduled or handed over to this instructor minutes ago, and refusing
 * them until a cache expires would be wrong. "You" is re-asked now and then, since a host can be
 * changed in Zoom too.
 */
export const NOT_HOST_RECHECK_MS = 2 * 60_000;
export const HOST_RECHECK_MS = 60 * 60_000;

/** Whom a host check is about: an account's Zoom user id and email. */
export interface HostCandidate {
  zoomUserId: string | null;
  email: string | null;
}

type HostFacts = Pick<MeetingHost, 'host_id' | 'host_email' | 'checked_at' | 'gone'>;

/**
 * Whether Zoom says an account hosts a meeting: the meeting's `host_id` matches the account's Zoom
 * user id, or its `host_email` the account's email (case-insensitive). Answers from Zoom are kept
 * in `meeting_hosts`. When Zoom cannot be asked, the answer is a 502 with Zoom's reason, never a guess.
 */
@Injectable()
export class MeetingHostsService {
  private readonly logger = new Logger(MeetingHostsService.name);
  /** One Zoom call per meeting at a time on this instance. */
  private readonly inFlight = new Map<string, Promise<HostFacts>>();

  constructor(
    @InjectModel(MeetingHost.name) private readonly hosts: Model<MeetingHost>,
    private readonly zoom: ZoomMeetingsService,
    private readonly clock: Clock,
  ) {}

  async isHost(meetingId: string, who: HostCandidate): Promise<boolean> {
    if (who.zoomUserId === null && who.email === null) return false;
    const stored = await this.hosts.findById(meetingId).lean().exec();
    if (stored && !this.stale(stored, matches(stored, who))) return matches(stored, who);
    return matches(await this.askZoom(meetingId, stored), who);
  }

  /**
   * Erasure (docs/architecture.md §14): the host facts naming the person (a student who hosts a
   * study group of their own). Nothing is lost: the next host check asks Zoom again.
   */
  async erasePerson(person: PersonIdentity): Promise<number> {
    const result = await this.hosts
      .deleteMany({
        $or: [{ host_email: emailMatcher(person.email) }, { host_id: { $in: person.zoomUserIds } }],
      })
      .exec();
    return result.deletedCount;
  }

  /**
   * Retention: host facts not checked since `cutoff`. A meeting Zoom deleted keeps its facts from
   * the last check on, and its broadcasts, older still, are purged by then too.
   */
  async purgeBefore(cutoff: Date): Promise<number> {
    const result = await this.hosts.deleteMany({ checked_at: { $lt: cutoff } }).exec();
    return result.deletedCount;
  }

  private stale(facts: HostFacts, host: boolean): boolean {
    if (facts.gone) return false;
    const age = this.clock.now().getTime() - facts.checked_at.getTime();
    return age >= (host ? HOST_RECHECK_MS : NOT_HOST_RECHECK_MS);
  }

  private askZoom(meetingId: string, stored: HostFacts | null): Promise<HostFacts> {
    const running = this.inFlight.get(meetingId);
    if (running) return running;
    const asking = this.fetch(meetingId, stored).finally(() => this.inFlight.delete(meetingId));
    this.inFlight.set(meetingId, asking);
    return asking;
  }

  private async fetch(meetingId: string, stored: HostFacts | null): Promise<HostFacts> {
    let facts: HostFacts;
    try {
      const meeting = await this.zoom.getMeeting(meetingId);
      facts = {
        host_id: meeting.hostId,
        host_email: meeting.hostEmail?.toLowerCase() ?? null,
        checked_at: this.clock.now(),
        gone: false,
      };
    } catch (error) {
      // A meeting Zoom no longer knows (ended and deleted) keeps its last known host, who must
      // still read its results; one never seen is Zoom's 404, with Zoom's reason.
      if (error instanceof ZoomApiError && error.status === 404 && stored) {
        facts = { ...stored, checked_at: this.clock.now(), gone: true };
      } else if (error instanceof ZoomApiError && error.status !== 404) {
        throw hostUnknown(meetingId, error);
      } else {
        throw error;
      }
    }
    // Two requests may refresh one meeting at once: the loser of the insert race updates instead.
    await retryLostInsertRace(() =>
      this.hosts.updateOne({ _id: meetingId }, { $set: facts }, { upsert: true }).exec(),
    );
    this.logger.debug(`Meeting ${meetingId}: host facts refreshed from Zoom`);
    return facts;
  }
}

function matches(facts: Pick<HostFacts, 'host_id' | 'host_email'>, who: HostCandidate): boolean {
  if (who.zoomUserId !== null && facts.host_id !== null && facts.host_id === who.zoomUserId) {
    return true;
  }
  return (
    who.email !== null && facts.host_email !== null && facts.host_email === who.email.toLowerCase()
  );
}

/**
 * Zoom could not say who hosts the meeting: its error, reworded to say what was at stake, so the
 * Zoom filter answers 502 with Zoom's reason and whether a retry may help (a config error as is).
 */
function hostUnknown(meetingId: string, error: ZoomApiError): ZoomApiError {
  if (error instanceof ZoomConfigError) return error;
  return new ZoomApiError(
    error,
    `Cannot tell whether you host meeting ${meetingId}: ${error.message}; nothing was assumed, try again shortly`,
  );
}
