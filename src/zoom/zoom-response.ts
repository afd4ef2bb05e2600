/** Reading Zoom's answers: error bodies, tracking ids, and keeping secrets out of messages. */

export interface ZoomErrorBody {
  code: number | string | null;
  message: string | null;
}

/** Zoom's API errors are `{code, message}` (docs/zoom.md §2); anything else yields nulls. */
export function zoomErrorBody(data: unknown): ZoomErrorBody {
  if (typeof data !== 'object' || data === null) return { code: null, message: null };
  const body = data as Record<string, unknown>;
  const code =
    typeof body.code === 'number' || (typeof body.code === 'string' && body.code !== '')
      ? body.code
      : null;
  return { code, message: stringField(body, 'message') ?? stringField(body, 'reason') ?? null };
}

/** Zoom's `x-zm-trackingid`, the reference its support asks for (docs/zoom.md §3). */
export function trackingIdOf(headers: unknown): string | null {
  if (typeof headers !== 'object' || headers === null) return null;
  const value = (headers as Record<string, unknown>)['x-zm-trackingid'];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A non-empty string property, or undefined. */
export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Replaces every occurrence of each secret with "[redacted]" (belt and braces for log lines). */
export function redact(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
