import type { Actor } from './actor';

/**
 * The one ownership rule of owned resources (questions, courses; docs/architecture.md §10): an
 * admin sees every one; anyone else only their own. Resources stored before ownership existed
 * (no owner_id) and a bootstrap key's (owner_id null) match no instructor, so they are the admins'.
 * A filter on `owner_id`, to be spread into the resource's query.
 */
export function ownedBy(actor: Actor): { owner_id?: { $eq: string | null; $ne: null } } {
  // `$ne: null`: a non-admin without an instructor record (none exists today) owns nothing.
  return actor.role === 'admin' ? {} : { owner_id: { $eq: actor.instructorId, $ne: null } };
}
