/**
 * The OAuth scopes this product needs, each satisfied by its classic name or a granular
 * equivalent (Zoom's newer apps get granular scopes only).
 */
export interface ScopeRequirement {
  /** Classic scope name, the one reported as missing. */
  scope: string;
  /** Any of these also satisfies the requirement. */
  alternatives: string[];
  purpose: string;
}

export const REQUIRED_SCOPES: readonly ScopeRequirement[] = [
  {
    // docs/zoom.md §2.
    scope: 'chat_message:write:admin',
    alternatives: ['team_chat:write:user_message:admin'],
    purpose: 'send Team Chat messages from ZOOM_CHAT_SENDER',
  },
  {
    // docs/zoom.md §7: confirms whether a post whose answer never came did land.
    scope: 'chat_message:read:admin',
    alternatives: ['chat_message:read', 'team_chat:read:list_user_messages:admin'],
    purpose: 'check whether a Team Chat message whose answer never came was posted',
  },
  {
    scope: 'meeting:read:admin',
    alternatives: ['meeting:read:meeting:admin'],
    purpose: 'read a meeting and its continuous-chat channel',
  },
  {
    // docs/zoom.md §5.
    scope: 'dashboard_meetings:read:admin',
    alternatives: ['dashboard:read:list_meeting_participants:admin'],
    purpose: 'list the live participants of a meeting',
  },
];

/** The classic names of the requirements that none of `granted` satisfies. */
export function missingScopes(granted: readonly string[]): string[] {
  const have = new Set(granted);
  return REQUIRED_SCOPES.filter(
    (need) => !have.has(need.scope) && !need.alternatives.some((alt) => have.has(alt)),
  ).map((need) => need.scope);
}
