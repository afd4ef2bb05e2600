import type { Role } from '../common/auth/actor';

/**
 * What an account may do in one meeting, weakest first: `read` its participants, broadcasts,
 * results and leaderboard; `remind` those who have not answered; `send` questions and links to it
 * (and retry); `manage` its grants. Each level includes the ones before it.
 */
export const MEETING_LEVELS = ['read', 'remind', 'send', 'manage'] as const;
export type MeetingLevel = (typeof MEETING_LEVELS)[number];

/** The roles a grant may give (PUT /api/meetings/{meeting_id}/instructors/{instructor_id}). */
export const GRANT_ROLES = ['instructor', 'assistant'] as const;
export type GrantRole = (typeof GRANT_ROLES)[number];

/** True when `level` includes `needed`. */
export const includesLevel = (level: MeetingLevel | null, needed: MeetingLevel): boolean =>
  level !== null && MEETING_LEVELS.indexOf(level) >= MEETING_LEVELS.indexOf(needed);

const lower = (a: MeetingLevel, b: MeetingLevel): MeetingLevel =>
  MEETING_LEVELS.indexOf(a) <= MEETING_LEVELS.indexOf(b) ? a : b;

/** What a grant gives: an instructor grant sends, an assistant grant reads and reminds. */
export const GRANT_LEVEL: Record<GrantRole, MeetingLevel> = {
  instructor: 'send',
  assistant: 'remind',
};

/** The most an account's role allows in any meeting: an assistant account never sends. */
export const ROLE_CAP: Record<Role, MeetingLevel> = {
  assistant: 'remind',
  instructor: 'manage',
  admin: 'manage',
};

/**
 * The one rule of meeting access: an admin does everything; the host does everything their
 * account's role allows; a grant gives its level, capped by the account's role; anyone else
 * nothing (null).
 */
export function meetingLevel(facts: {
  role: Role;
  grant: GrantRole | null;
  isHost: boolean;
}): MeetingLevel | null {
  if (facts.role === 'admin') return 'manage';
  const cap = ROLE_CAP[facts.role];
  if (facts.isHost) return cap;
  return facts.grant === null ? null : lower(GRANT_LEVEL[facts.grant], cap);
}

const DOING: Record<MeetingLevel, string> = {
  read: 'read',
  remind: 'send reminders to',
  send: 'send questions to',
  manage: 'manage the grants of',
};

/** Why an account with `level` (null: none) may not do `needed` in the meeting: the 403 message. */
export function refusal(
  meetingId: string,
  role: Role,
  level: MeetingLevel | null,
  needed: MeetingLevel,
): string {
  if (level === null) {
    return `You do not host meeting ${meetingId} and have no grant for it; ask its host or an admin`;
  }
  if (!includesLevel(ROLE_CAP[role], needed)) {
    return `An ${role} account may not ${DOING[needed]} meeting ${meetingId}; ask its host or an admin`;
  }
  if (needed === 'manage') {
    return `Only meeting ${meetingId}'s host or an admin may manage its grants`;
  }
  return `Your grant for meeting ${meetingId} lets you ${DOING[level]} it, not ${DOING[needed]} it; ask its host or an admin for an instructor grant`;
}
