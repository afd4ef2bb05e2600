/**
 * Label values for the metrics, each drawn from a small fixed set: a Prometheus series exists per
 * distinct label combination, so a value taken from a request (a URL, a meeting id, an email)
 * would grow the series without bound and put people's data in the scrape. Anything outside the
 * expected shape becomes `other`.
 */

export const OTHER = 'other';

/** An HTTP status as its code (`200`, `429`), or `network` when no answer came (status 0). */
export function statusLabel(status: number): string {
  if (status === 0) return 'network';
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : OTHER;
}

/** A path segment of a Zoom route template: a fixed word or a `{placeholder}`, never a value. */
const TEMPLATE_SEGMENT = /^([a-z][a-z_-]*|\{[A-Za-z]\w*\})$/;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * A Zoom call as `METHOD /template`, e.g. `POST /chat/users/{userId}/messages`. The client passes
 * the template (src/zoom/zoom-http.client.ts), never the filled-in path; a path with an id or an
 * email in it (a caller's mistake) is reported as `other` rather than as one series per value.
 */
export function zoomRouteLabel(method: string, path: string): string {
  if (!METHODS.has(method)) return OTHER;
  const segments = path.split('/');
  if (segments[0] !== '' || segments.length < 2 || path.length > 100) return OTHER;
  return segments.slice(1).every((segment) => TEMPLATE_SEGMENT.test(segment))
    ? `${method} ${path}`
    : OTHER;
}

/** Database command names counted as such; anything else (rare admin commands) is `other`. */
const DATABASE_COMMANDS = new Set([
  'aggregate',
  'count',
  'create',
  'createIndexes',
  'delete',
  'distinct',
  'drop',
  'dropDatabase',
  'endSessions',
  'find',
  'findAndModify',
  'getMore',
  'hello',
  'insert',
  'isMaster',
  'killCursors',
  'listCollections',
  'listIndexes',
  'ping',
  'update',
]);

export function databaseCommandLabel(name: string): string {
  return DATABASE_COMMANDS.has(name) ? name : OTHER;
}
