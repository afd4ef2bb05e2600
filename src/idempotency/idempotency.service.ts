import {
  BadRequestException,
  ConflictException,
  Injectable,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import { Model } from 'mongoose';
import { escapeRegExp, type PersonIdentity } from '../common/personal-data';
import { AppConfig } from '../config/app-config';
import { isDuplicateKey } from '../database/duplicate-key';
import { IdempotencyRecord } from './idempotency-record.schema';

/** How long a key is remembered. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
export const IDEMPOTENCY_KEY_RULE = 'Idempotency-Key must be 1 to 255 visible ASCII characters';
/** Past the longest a send request runs (SEND_WAIT_SECONDS), a key still in progress is dead. */
const LOCK_MARGIN_MS = 60_000;
const MAX_ROUNDS = 5;

export interface IdempotentRequest {
  /** Who is asking: a hash of the caller's credential. */
  caller: string;
  /** Method and route pattern. */
  route: string;
  key: string;
  /** What is asked: path parameters and body. */
  request: unknown;
}

export type IdempotencyClaim =
  | {
      kind: 'fresh';
      id: string;
      /**
       * Names the work this key and request ask for, the same for every claim of one use of the
       * key (a takeover after the first claim's lock ran out included); a new use (after 24 h, or
       * after an error freed the key) or another request gets another. A route whose work leaves
       * a record stores it there, so a repeat that finds the key free again (the first answer could
       * not be kept, e.g. the database went away just then) finds that work instead of doing it
       * twice.
       */
      workKey: string;
    }
  | { kind: 'replay'; statusCode: number; body: unknown };

/** 409 while the first request with the same key is still running; Retry-After in seconds. */
export class IdempotencyKeyInProgressException extends ConflictException {
  readonly retryAfterSeconds = 1;
  constructor() {
    super(
      'A request with this Idempotency-Key is still in progress; retry it after Retry-After to get its result',
    );
  }
}

/**
 * The `Idempotency-Key` contract of the routes that create sends: the same key and request from
 * the same caller within 24 h get the first answer (status and body) and cause nothing more; the
 * same key with another request is a 422; a duplicate that arrives while the first is still
 * running gets a 409 and causes nothing. Only successful answers are kept: after an error the
 * key is free again, so the client may simply retry.
 *
 * A first answer that could not be kept (the database gone between the work and `complete`)
 * leaves the key in progress until its lock runs out; a repeat then takes it over. What keeps
 * that repeat from doing the work again is the route's own record of it, found by the claim's
 * `workKey` (a send's broadcast: BroadcastsService).
 */
@Injectable()
export class IdempotencyService {
  private readonly lockMs: number;

  constructor(
    @InjectModel(IdempotencyRecord.name) private readonly records: Model<IdempotencyRecord>,
    config: AppConfig,
  ) {
    this.lockMs = config.delivery.sendWaitSeconds * 1000 + LOCK_MARGIN_MS;
  }

  static validKey(key: string | string[] | undefined): string | undefined {
    if (key === undefined) return undefined;
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new BadRequestException(IDEMPOTENCY_KEY_RULE);
    }
    return key;
  }

  /** Takes the key for this request, or says what the first request with it answered. */
  async claim(input: IdempotentRequest): Promise<IdempotencyClaim> {
    const id = sha256(`${input.caller}\n${input.route}\n${input.key}`);
    const requestHash = sha256(canonicalJson(input.request));
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = Date.now();
      const fresh = {
        route: input.route,
        request_hash: requestHash,
        state: 'in_progress' as const,
        locked_until: new Date(now + this.lockMs),
        status_code: null,
        response: null,
        expires_at: new Date(now + IDEMPOTENCY_KEY_TTL_MS),
      };
      const workKey = (expiresAt: Date) => sha256(`${id}\n${requestHash}\n${expiresAt.getTime()}`);
      try {
        await this.records.create({ _id: id, ...fresh });
        return { kind: 'fresh', id, workKey: workKey(fresh.expires_at) };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const existing = await this.records.findById(id).lean().exec();
      if (!existing) continue; // freed between the insert and the read
      const expired = existing.expires_at.getTime() <= now;
      const abandoned = existing.state === 'in_progress' && existing.locked_until.getTime() <= now;
      if (!expired && existing.request_hash !== requestHash) {
        throw new UnprocessableEntityException(
          `This Idempotency-Key was already used with a different request to ${input.route}; use a new key for a new request`,
        );
      }
      if (expired || abandoned) {
        // An abandoned claim is the same use of the key: its 24 h (and so its work key) stay.
        const expiresAt = expired ? fresh.expires_at : existing.expires_at;
        // Take it over only if no one else did in the meantime (compare and set on what we read).
        const taken = await this.records
          .updateOne(
            { _id: id, state: existing.state, locked_until: existing.locked_until },
            { $set: { ...fresh, expires_at: expiresAt } },
          )
          .exec();
        if (taken.modifiedCount === 1) return { kind: 'fresh', id, workKey: workKey(expiresAt) };
        continue;
      }
      if (existing.state === 'in_progress') throw new IdempotencyKeyInProgressException();
      return {
        kind: 'replay',
        statusCode: existing.status_code ?? 200,
        body: existing.response === null ? null : (JSON.parse(existing.response) as unknown),
      };
    }
    throw new IdempotencyKeyInProgressException();
  }

  /** Keeps the answer of a request that succeeded, for the repeats. */
  async complete(id: string, statusCode: number, body: unknown): Promise<void> {
    await this.records
      .updateOne(
        { _id: id, state: 'in_progress' },
        {
          $set: {
            state: 'done',
            status_code: statusCode,
            response: body === undefined ? null : JSON.stringify(body),
          },
        },
      )
      .exec();
  }

  /**
   * Erasure (docs/architecture.md §14): kept answers name recipients (POST /api/send-question
   * lists them). Each answer that mentions the person loses the objects that do, so a replay
   * still answers, without them. Compare-and-set on the text read: a concurrent change wins.
   */
  async erasePerson(person: PersonIdentity): Promise<number> {
    const values = [person.email, ...person.zoomUserIds];
    const mentions = new RegExp(values.map(escapeRegExp).join('|'), 'i');
    const lowered = new Set(values.map((v) => v.toLowerCase()));
    const isPerson = (value: string) => lowered.has(value.toLowerCase());
    const found = await this.records
      .find({ response: mentions }, { response: 1 })
      .lean<Pick<IdempotencyRecord, '_id' | 'response'>[]>()
      .exec();
    let changed = 0;
    for (const record of found) {
      if (record.response === null) continue;
      const redacted = JSON.stringify(withoutMentions(JSON.parse(record.response), isPerson));
      const result = await this.records
        .updateOne({ _id: record._id, response: record.response }, { $set: { response: redacted } })
        .exec();
      changed += result.modifiedCount;
    }
    return changed;
  }

  /** Frees the key of a request that failed, so the client may retry with it. */
  async release(id: string): Promise<void> {
    await this.records.deleteOne({ _id: id, state: 'in_progress' }).exec();
  }
}

/** True when one of the object's own values is a string naming the person. */
function mentions(value: object, isPerson: (v: string) => boolean): boolean {
  return Object.values(value).some((v) => typeof v === 'string' && isPerson(v));
}

/**
 * `value` without what names the person: array items that mention them are dropped; any other
 * object that does has each of its strings replaced by "[erased]".
 */
export function withoutMentions(value: unknown, isPerson: (v: string) => boolean): unknown {
  if (Array.isArray(value)) {
    return (value as unknown[])
      .filter((item) => !(item !== null && typeof item === 'object' && mentions(item, isPerson)))
      .map((item) => withoutMentions(item, isPerson));
  }
  if (value !== null && typeof value === 'object') {
    const erase = mentions(value, isPerson);
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        typeof v === 'string' ? (erase ? '[erased]' : v) : withoutMentions(v, isPerson),
      ]),
    );
  }
  return typeof value === 'string' && isPerson(value) ? '[erased]' : value;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
