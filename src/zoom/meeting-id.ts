/**
 * A meeting number or occurrence UUID as a path parameter. Zoom requires a UUID that starts with
 * `/` or contains `//` to be URL-encoded twice (ZOOM.md §5): encoded once, its slashes still read
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
