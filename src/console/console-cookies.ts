import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The console's cookies. On https the names carry the `__Host-` prefix, which browsers accept
 * only with Secure, Path=/ and no Domain: no subdomain or plain-http page can plant or overwrite
 * them. HttpOnly (no script reads them) and SameSite=Strict (no other site's page sends them).
 */
export interface CookieNames {
  session: string;
  /** The sign-in form's CSRF token before there is a session (double submit). */
  signInCsrf: string;
}

export function cookieNames(secure: boolean): CookieNames {
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}zlq_console`, signInCsrf: `${prefix}zlq_console_signin` };
}

/** One cookie from the request's Cookie header; undefined when absent or malformed. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    // Values this app sets are base64url; anything else is not one of ours.
    return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

export function setCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  options: { secure: boolean; maxAgeSeconds: number },
): void {
  const attributes = [
    `${name}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    ...(options.secure ? ['Secure'] : []),
  ];
  appendSetCookie(reply, attributes.join('; '));
}

export function clearCookie(reply: FastifyReply, name: string, secure: boolean): void {
  setCookie(reply, name, 'deleted-deleted-deleted', { secure, maxAgeSeconds: 0 });
}

function appendSetCookie(reply: FastifyReply, cookie: string): void {
  const existing = reply.getHeader('set-cookie');
  const list = Array.isArray(existing)
    ? existing.map(String)
    : existing === undefined
      ? []
      : [String(existing)];
  void reply.header('set-cookie', [...list, cookie]);
}
