import type { Actor, Role } from '../../src/common/auth/actor';

/** The actor of an API_KEYS key (src/common/auth/actor.ts), for tests that call services. */
export const BOOTSTRAP_ADMIN: Actor = {
  instructorId: null,
  role: 'admin',
  name: 'Bootstrap key',
  email: null,
  zoomUserId: null,
  credentialId: null,
  keyPrefix: 'boot_126e6776', // bootstrapKeyLabel(TEST_API_KEY)
  credentialExpiresAt: null,
};

/** An instructor-record actor, for tests that call services directly. */
export function actorFor(
  instructorId: string,
  role: Role,
  who: { email?: string | null; zoomUserId?: string | null } = {},
): Actor {
  return {
    instructorId,
    role,
    name: `Instructor ${instructorId.slice(-4)}`,
    email: who.email ?? null,
    zoomUserId: who.zoomUserId ?? null,
    credentialId: null,
    keyPrefix: 'zlq_te',
    credentialExpiresAt: null,
  };
}
