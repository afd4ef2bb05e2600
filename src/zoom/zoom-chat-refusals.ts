import { Injectable } from '@nestjs/common';

/**
 * Refusals of a Team Chat send that only an account admin (or a Team Chat member) can fix, none
 * of which Zoom lets us check beforehand with the scopes this service holds (docs/zoom.md §2):
 * - `not_channel_member`: the sender is not in the channel it posted to;
 * - `sender_role`: the sender's role may not edit Chat Messages, which an account-level app
 *   needs to send on its behalf.
 * No harmless probe exists for either (a probe would be a real post), so the refusal a real send
 * met is what `GET /api/test-zoom` reports, until a later send from the same sender (to the same
 * channel, for membership) succeeds.
 */
export type ZoomChatProblem = 'not_channel_member' | 'sender_role';

/**
 * The Zoom codes of those refusals. Inferred (docs/zoom.md §2): the reference lists no code for
 * either; 200 "No permission." is Zoom's answer for a missing role permission elsewhere in its API,
 * 5301 "Request to send message failed." its generic Team Chat send refusal.
 */
export const ZOOM_NO_PERMISSION_CODE = 200;
export const ZOOM_CHAT_SEND_FAILED_CODE = 5301;

export interface ZoomChatRefusal {
  problem: ZoomChatProblem;
  /** ZOOM_CHAT_SENDER when it happened. */
  sender: string;
  /** The channel posted to, for `not_channel_member`. */
  channelId: string | null;
  /** What to do, in words for an admin; never a secret. */
  fix: string;
  zoomStatus: number;
  zoomCode: number | string | null;
  zoomMessage: string;
  trackingId: string | null;
  seenAt: Date;
}

/** What a refusal of a send means, or null when it is none of the problems above. */
export function chatProblemOf(
  refusal: { status: number; code: number | string | null },
  target: { toChannel?: string },
): ZoomChatProblem | null {
  if (refusal.status === 0 || refusal.status >= 500 || refusal.status === 429) return null;
  if (refusal.code === ZOOM_NO_PERMISSION_CODE) return 'sender_role';
  if (target.toChannel !== undefined && refusal.code === ZOOM_CHAT_SEND_FAILED_CODE) {
    return 'not_channel_member';
  }
  return null;
}

export function chatProblemFix(
  problem: ZoomChatProblem,
  sender: string,
  channelId: string | null,
): string {
  return problem === 'sender_role'
    ? `the role of ZOOM_CHAT_SENDER (${sender}) may not edit Chat Messages: an account admin must give ` +
        'that role the Chat Messages "Edit" permission (User Management > Roles > the role > ' +
        'Team Chat > Chat Messages), or set ZOOM_CHAT_SENDER to a user whose role has it'
    : `ZOOM_CHAT_SENDER (${sender}) is not a member of channel ${channelId ?? '?'}: add that user to ` +
        "the channel in Team Chat (for a meeting's continuous chat channel: invite the sender to the " +
        'meeting, or have the sender host it), then retry the failed deliveries';
}

/**
 * The last refusal of each kind this instance met (in memory: each instance reports what it saw;
 * a restart forgets, and the next refused send records it again).
 */
@Injectable()
export class ZoomChatRefusals {
  private readonly byKey = new Map<string, ZoomChatRefusal>();

  record(refusal: ZoomChatRefusal): void {
    this.byKey.set(keyOf(refusal.problem, refusal.channelId), refusal);
  }

  /** A send from `sender` went through: what it proves is no longer a problem. */
  clearAfterSuccess(sender: string, channelId: string | null): void {
    for (const [key, refusal] of this.byKey) {
      const proven =
        refusal.sender === sender &&
        (refusal.problem === 'sender_role' || refusal.channelId === channelId);
      if (proven) this.byKey.delete(key);
    }
  }

  /** Refusals for the current sender, oldest first (a changed sender starts clean). */
  current(sender: string): ZoomChatRefusal[] {
    return [...this.byKey.values()]
      .filter((r) => r.sender === sender)
      .sort((a, b) => a.seenAt.getTime() - b.seenAt.getTime());
  }
}

function keyOf(problem: ZoomChatProblem, channelId: string | null): string {
  return problem === 'sender_role' ? problem : `${problem}:${channelId ?? ''}`;
}
