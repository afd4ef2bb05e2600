import { ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FastifyRequest } from 'fastify';
import { Model } from 'mongoose';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../common/auth/actor';
import { CREDENTIAL_TRUST_MS } from '../common/auth/credential-trust';
import { SAFE_METHODS, SessionAuthenticator } from '../common/auth/session-authenticator';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { cookieNames, readCookie, type CookieNames } from './console-cookies';
import { ConsoleKeys } from './console-keys';
import { ConsoleSession } from './schemas/console-session.schema';

/** A session ends after this long unused (sliding)... */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
/** ...and at the latest this long after signing in, however busy. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** The sliding expiry is written at most this often per session (a write per request is waste). */
const TOUCH_EVERY_MS = 60_000;
const MAX_CACHED = 10_000;

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * What this instance read of a session, trusted for CREDENTIAL_TRUST_MS. Not its key's actor:
 * the key is checked on every use through the key check's own cache, so a session's cache and the
 * key's are never stacked (src/common/auth/credential-trust.ts).
 */
interface Cached {
  keyHash: string;
  /** The session's id: the credential the audit log names (never the secret). */
  credentialId: string;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  lastSeenAt: Date;
  freshUntil: number;
}

export interface NewSession {
  /** The cookie's value: the session secret (only its hash is stored). */
  cookieValue: string;
  maxAgeSeconds: number;
}

/**
 * Console sessions (docs/architecture.md §15): signing in with an API key, resolving the session
 * cookie to an Actor for the console's pages and (through SessionAuthenticator) for /api routes,
 * CSRF tokens, signing out. Stored server-side in MongoDB; the cookie holds a random 256-bit
 * secret of which only the SHA-256 is stored.
 */
@Injectable()
export class SessionsService extends SessionAuthenticator {
  private readonly logger = new Logger(SessionsService.name);
  private readonly cache = new Map<string, Cached>();
  /** Bumped by each sign-out, so a read that began before it cannot put the session back. */
  private generation = 0;

  constructor(
    @InjectModel(ConsoleSession.name) private readonly sessions: Model<ConsoleSession>,
    private readonly keys: ConsoleKeys,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** Secure cookies (and `__Host-` names) exactly when BASE_URL is https. */
  get secure(): boolean {
    return new URL(this.config.baseUrl).protocol === 'https:';
  }

  get cookies(): CookieNames {
    return cookieNames(this.secure);
  }

  /** POST /console/session: a new session for a valid key (401 otherwise). */
  async signIn(presentedKey: string): Promise<NewSession> {
    const { actor, keyHash } = await this.keys.signIn(presentedKey);
    const cookieValue = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const absolute = new Date(now.getTime() + SESSION_MAX_MS);
    await this.sessions.create({
      token_hash: sha256(cookieValue),
      key_hash: keyHash,
      instructor_id: actor.instructorId,
      role: actor.role,
      name: actor.name,
      key_prefix: actor.keyPrefix,
      expires_at: new Date(now.getTime() + SESSION_IDLE_MS),
      absolute_expires_at: absolute,
      last_seen_at: now,
    });
    this.logger.log(`Console sign-in with key ${actor.keyPrefix}… (${actor.role})`);
    return { cookieValue, maxAgeSeconds: SESSION_MAX_MS / 1000 };
  }

  /** The actor of a session cookie's value; null when unknown, ended, expired or its key invalid. */
  async resolve(cookieValue: string | undefined): Promise<Actor | null> {
    if (!cookieValue) return null;
    const hash = sha256(cookieValue);
    const now = this.clock.now();
    let entry = this.cache.get(hash);
    if (!entry || performance.now() > entry.freshUntil) {
      const generation = this.generation;
      entry = (await this.load(hash, now)) ?? undefined;
      if (!entry) {
        this.cache.delete(hash);
        return null;
      }
      if (generation === this.generation) this.remember(hash, entry);
    }
    if (now >= entry.expiresAt || now >= entry.absoluteExpiresAt) return null;
    // The key is checked again on every use: revoked, expired, rotated out of API_KEYS, or its
    // account disabled, and the session is over too.
    const keyActor = await this.keys.byHash(entry.keyHash);
    if (!keyActor) return null;
    this.touch(hash, entry, now);
    return { ...keyActor, credentialId: entry.credentialId };
  }

  /** POST /console/logout: the session ends everywhere (at once on this instance). */
  async signOut(cookieValue: string | undefined): Promise<void> {
    if (!cookieValue) return;
    const hash = sha256(cookieValue);
    this.generation++;
    this.cache.delete(hash);
    await this.sessions.deleteOne({ token_hash: hash }).exec();
  }

  /**
   * The session's CSRF token: an HMAC of a fixed label under the session secret, so it needs no
   * storage, changes with each session, and cannot be made without the HttpOnly cookie.
   */
  csrfToken(cookieValue: string): string {
    return createHmac('sha256', cookieValue).update('zlq console csrf').digest('base64url');
  }

  /** SessionAuthenticator: the session cookie of an /api request. */
  async authenticate(request: FastifyRequest): Promise<Actor | null> {
    return this.resolve(readCookie(request, this.cookies.session));
  }

  /** SessionAuthenticator: same origin, and the session's token in a header or form field. */
  checkCsrf(request: FastifyRequest): void {
    if (SAFE_METHODS.has(request.method)) return;
    this.checkOrigin(request);
    const cookie = readCookie(request, this.cookies.session);
    const header = request.headers['x-csrf-token'];
    const field = (request.body as { _csrf?: unknown } | undefined)?._csrf;
    const presented =
      typeof header === 'string' ? header : typeof field === 'string' ? field : undefined;
    if (!cookie || !presented || !sameSecret(presented, this.csrfToken(cookie))) {
      throw new ForbiddenException(
        'Missing or wrong CSRF token: send the page\'s token as the "x-csrf-token" header or the "_csrf" field',
      );
    }
  }

  /**
   * A state-changing request with a cookie must come from a page of this service: its Origin is
   * BASE_URL's, or the origin the browser used to reach this host (the Host header, which no other
   * site's page can set). Console pages send Referrer-Policy same-origin, so browsers send their
   * Origin on a same-origin post; a browser that still sends none (or "null") is believed only
   * when its Sec-Fetch-Site says same-origin. Anything else is refused.
   */
  checkOrigin(request: FastifyRequest): void {
    const origin = request.headers.origin;
    const ownHost = `${request.protocol}://${request.headers.host ?? ''}`;
    const allowed = new URL(this.config.baseUrl).origin;
    if (typeof origin === 'string' && origin !== 'null') {
      if (origin === allowed || origin === ownHost) return;
    } else if (request.headers['sec-fetch-site'] === 'same-origin') {
      return;
    }
    throw new ForbiddenException('Cross-origin request refused: it must come from this site');
  }

  private async load(hash: string, now: Date): Promise<Cached | null> {
    const session = await this.sessions.findOne({ token_hash: hash }).lean().exec();
    if (!session) return null;
    if (now >= session.expires_at || now >= session.absolute_expires_at) return null;
    return {
      keyHash: session.key_hash,
      credentialId: String(session._id),
      expiresAt: session.expires_at,
      absoluteExpiresAt: session.absolute_expires_at,
      lastSeenAt: session.last_seen_at,
      freshUntil: performance.now() + CREDENTIAL_TRUST_MS,
    };
  }

  private remember(hash: string, entry: Cached): void {
    this.cache.delete(hash);
    if (this.cache.size >= MAX_CACHED) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(hash, entry);
  }

  /** Slides the idle expiry forward, at most once a minute per session, never past the maximum. */
  private touch(hash: string, entry: Cached, now: Date): void {
    if (now.getTime() - entry.lastSeenAt.getTime() < TOUCH_EVERY_MS) return;
    const expiresAt = new Date(
      Math.min(now.getTime() + SESSION_IDLE_MS, entry.absoluteExpiresAt.getTime()),
    );
    entry.lastSeenAt = now;
    entry.expiresAt = expiresAt;
    this.sessions
      .updateOne({ token_hash: hash }, { $max: { expires_at: expiresAt, last_seen_at: now } })
      .exec()
      .catch((error: Error) =>
        this.logger.warn(`A console session's expiry was not extended: ${error.message}`),
      );
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
