/**
 * One person whose data is erased (DELETE /api/people/{email}, docs/architecture.md §14): the
 * email asked for and what the participant records with that email know them by. Each module
 * that holds personal data erases what it keys by any of these.
 */
export interface PersonIdentity {
  /** Lower-cased; compared without regard to case (emailMatcher). */
  email: string;
  /** Zoom account user ids the person joined with. */
  zoomUserIds: string[];
  /** Person keys (docs/architecture.md §3) of their joins: their Zoom user id or their email. */
  personKeys: string[];
}

/** The one rule for matching a stored email to the one asked for: the whole value, any case. */
export function emailMatcher(email: string): RegExp {
  return new RegExp(`^${escapeRegExp(email)}$`, 'i');
}

/** `text` as a regular expression that matches exactly it. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
