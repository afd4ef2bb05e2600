/**
 * What this service accepts as a Zoom meeting (or webinar) number, everywhere: the API's path
 * parameters and bodies, and webhook payloads. Zoom's numbers are digits (9 to 11 today); 5 to
 * 20 leaves room without accepting anything else. An occurrence UUID is not a meeting number: it
 * may hold `/`, which needs double URL-encoding in a path (see meetingIdPathParam below).
 */
export const MEETING_NUMBER_PATTERN = /^\d{5,20}$/;

/** The rule in words, for error messages and API docs. */
export const MEETING_NUMBER_RULE = 'a Zoom meeting number (5 to 20 digits, nothing else)';

export function isMeetingNumber(value: unknown): value is string {
  return typeof value === 'string' && MEETING_NUMBER_PATTERN.test(value);
}

/**
 * For class-transformer's @Transform on a meeting number in a JSON body: clients often send
 * meeting numbers as JSON numbers; a safe integer becomes its digits, anything else is left to
 * fail the pattern.
 */
export const meetingNumberFromJson = ({ value }: { value: unknown }): unknown =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;

/**
 * A meeting number or occurrence UUID as a path parameter. Zoom requires a UUID that starts with
 * `/` or contains `//` to be URL-encoded twice (docs/zoom.md §5): encoded once, its slashes still read
 * as path separators on Zoom's side. The HTTP client encodes every path parameter once, so this
 * returns the value pre-encoded once when, and only when, Zoom needs the second encoding.
 */
export function meetingIdPathParam(meetingIdOrUuid: string): string {
  return needsDoubleEncoding(meetingIdOrUuid)
    ? encodeURIComponent(meetingIdOrUuid)
    : meetingIdOrUuid;
}

export function needsDoubleEncoding(meetingIdOrUuid: string): boolean {
  return meetingIdOrUuid.startsWith('/') || meetingIdOrUuid.includes('//');
}
