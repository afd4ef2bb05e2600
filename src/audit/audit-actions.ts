/**
 * Every action the audit log records, in one place: what the entry's target is and where the
 * interceptor finds its id and meeting. A route declares its action with `@Audited('<name>')`
 * (audited.decorator.ts); a name not listed here does not compile.
 *
 * A source is `param.<name>` (path parameter), `body.<name>` (one field of the request body, as
 * received) or `response.<path>` (a field of the answer); the first one present wins. Sources name
 * ids only: never a secret, a token or a person's email (the entry would keep it).
 */
export type AuditSource = `param.${string}` | `body.${string}` | `response.${string}`;

export interface AuditActionSpec {
  /** What kind of thing the action touched. */
  target: string;
  /** Where the target's id is found (none: the entry has no target id). */
  targetId?: readonly AuditSource[];
  /** Where the Zoom meeting number is found, when the action concerns a meeting. */
  meetingId?: readonly AuditSource[];
  /**
   * A field of the answer whose numbers are copied to the entry's `details` (e.g. counts of
   * what an erasure removed). Only numbers are copied: a string can never leak in this way.
   */
  details?: 'response' | `response.${string}`;
}

export const AUDIT_ACTIONS = {
  // Question bank (questions.controller.ts).
  'question.created': { target: 'question', targetId: ['response.id'] },
  'question.replaced': { target: 'question', targetId: ['param.id'] },
  'question.changed': { target: 'question', targetId: ['param.id'] },
  'question.deleted': { target: 'question', targetId: ['param.id'] },
  // The bank in and out (bank/question-bank.controller.ts): the import's counts, no ids.
  'questions.exported': { target: 'question' },
  'questions.imported': { target: 'question', details: 'response' },
  // Sends (broadcasts.controller.ts): the target is the broadcast the send created.
  'question.sent': {
    target: 'broadcast',
    targetId: ['response.id'],
    meetingId: ['response.meeting_id', 'body.meeting_id'],
  },
  'link.sent': {
    target: 'broadcast',
    targetId: ['response.broadcast_id'],
    meetingId: ['body.meeting_id'],
  },
  'broadcast.retried': {
    target: 'broadcast',
    targetId: ['param.id'],
    meetingId: ['response.broadcast.meeting_id'],
    details: 'response',
  },
  'broadcast.reminded': { target: 'broadcast', targetId: ['param.id'], details: 'response' },
  // Results (results.controller.ts).
  'results.exported': { target: 'broadcast', targetId: ['param.id'] },
  // Erasure (privacy module): counts only, never the email.
  'person.erased': { target: 'person', details: 'response.removed' },
  // Written by the retention job itself (no request, no actor).
  'retention.purged': { target: 'retention' },
  // Instructors and API keys (issue 13; routes of the instructors module).
  'instructor.created': { target: 'instructor', targetId: ['response.id'] },
  'instructor.changed': { target: 'instructor', targetId: ['param.id'] },
  'api_key.created': { target: 'api_key', targetId: ['response.id'] },
  'api_key.revoked': { target: 'api_key', targetId: ['param.key_id'] },
  // Meeting grants (issue 13; PUT/DELETE /api/meetings/{meeting_id}/instructors/{instructor_id}).
  'meeting_grant.granted': {
    target: 'instructor',
    targetId: ['param.instructor_id'],
    meetingId: ['param.meeting_id'],
  },
  'meeting_grant.revoked': {
    target: 'instructor',
    targetId: ['param.instructor_id'],
    meetingId: ['param.meeting_id'],
  },
  // Courses (issue 18; courses.controller.ts). CSV downloads of people's records are audited,
  // as results.exported is.
  'course.created': { target: 'course', targetId: ['response.id'] },
  'course.changed': { target: 'course', targetId: ['param.id'] },
  'course.deleted': { target: 'course', targetId: ['param.id'] },
  'course.roster_replaced': { target: 'course', targetId: ['param.id'], details: 'response' },
  'course.roster_exported': { target: 'course', targetId: ['param.id'] },
  'course.gradebook_exported': { target: 'course', targetId: ['param.id'] },
  'course.attendance_exported': { target: 'course', targetId: ['param.id'] },
  // Question sets (issue 16; question-sets.controller.ts).
  'question_set.created': { target: 'question_set', targetId: ['response.id'] },
  'question_set.changed': { target: 'question_set', targetId: ['param.id'] },
  'question_set.deleted': { target: 'question_set', targetId: ['param.id'] },
  // Run results (issue 16; runs/run-results.controller.ts): a CSV of people's answers.
  'run.results_exported': { target: 'run', targetId: ['param.id'] },
} as const satisfies Record<string, AuditActionSpec>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];
