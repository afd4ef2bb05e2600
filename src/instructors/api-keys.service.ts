import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { Actor } from '../common/auth/actor';
import { Clock } from '../common/clock';
import { generateKey, hashKey, parseKey } from './api-key-format';
import { CachedCredential, CredentialCache } from './credential-cache';
import { CreateApiKeyDto, MAX_KEY_LIFETIME_DAYS } from './dto/api-key.dto';
import { InstructorsService } from './instructors.service';
import { ApiKey, ApiKeyDocument } from './schemas/api-key.schema';

const DAY_MS = 24 * 60 * 60 * 1000;
/** last_used_at is a hint for spotting unused keys: a write a minute per key is plenty. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface CreatedKey {
  doc: ApiKeyDocument;
  /** The whole key: returned to its owner this once, never stored or logged. */
  key: string;
}

/**
 * Instructors' API keys: creation (shown once), listing without secrets, revocation, and the
 * check of a presented key for the auth guard (src/common/auth/api-key.guard.ts).
 */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(
    @InjectModel(ApiKey.name) private readonly keys: Model<ApiKey>,
    private readonly instructors: InstructorsService,
    private readonly cache: CredentialCache,
    private readonly clock: Clock,
  ) {}

  async create(
    actor: Actor,
    instructorId: Types.ObjectId,
    dto: CreateApiKeyDto,
  ): Promise<CreatedKey> {
    const instructor = await this.ownedInstructor(actor, instructorId);
    if (instructor.disabled_at) {
      throw new ConflictException(
        `Instructor ${instructorId.toHexString()} is disabled: enable the account before giving it keys`,
      );
    }
    const expiresAt = this.expiryFor(actor, dto);
    const { key, prefix, hash } = generateKey();
    const doc = await this.keys.create({
      key_hash: hash,
      prefix,
      instructor_id: instructor._id,
      expires_at: expiresAt,
      last_used_at: null,
      revoked_at: null,
    });
    return { doc, key };
  }

  async list(actor: Actor, instructorId: Types.ObjectId): Promise<ApiKeyDocument[]> {
    await this.ownedInstructor(actor, instructorId);
    return this.keys.find({ instructor_id: instructorId }).sort({ created_at: -1, _id: -1 }).exec();
  }

  /** Revoked for good; refused at once on this instance, within the cache TTL on the others. */
  async revoke(actor: Actor, instructorId: Types.ObjectId, keyId: Types.ObjectId): Promise<void> {
    await this.ownedInstructor(actor, instructorId);
    const key = await this.keys.findById(keyId).exec();
    if (!key || !key.instructor_id.equals(instructorId)) {
      throw new NotFoundException(`API key ${keyId.toHexString()} not found`);
    }
    if (!key.revoked_at) {
      key.revoked_at = this.clock.now();
      await key.save();
    }
    this.cache.forgetKey(keyId.toHexString());
  }

  /**
   * Who a presented instructor key acts for, or a 401 saying why not (unknown, revoked, expired,
   * disabled account). Read from the per-instance cache when fresh (credential-cache.ts).
   */
  async authenticate(presented: string): Promise<Actor> {
    if (!parseKey(presented)) throw new UnauthorizedException('The API key is not valid');
    return this.authenticateHash(hashKey(presented));
  }

  /**
   * The same for a key known only by its hash (hashKey): a console session keeps only that of
   * the key it was opened with, and checks it on every use, so revoking the key ends the session.
   */
  async authenticateHash(hash: string): Promise<Actor> {
    const now = this.clock.now();
    let credential = this.cache.get(hash);
    if (!credential) {
      const generation = this.cache.currentGeneration();
      credential = await this.load(hash, now);
      this.cache.set(hash, credential, generation);
    }
    if (credential.expiresAt && credential.expiresAt <= now) throw expired(credential.expiresAt);
    this.touch(credential, now);
    return credential.actor;
  }

  private async load(hash: string, now: Date): Promise<CachedCredential> {
    const key = await this.keys.findOne({ key_hash: hash }).exec();
    if (!key) throw new UnauthorizedException('The API key is not valid');
    if (key.revoked_at) throw new UnauthorizedException('This API key was revoked');
    if (key.expires_at && key.expires_at <= now) throw expired(key.expires_at);
    const instructor = await this.instructors.findForKey(key.instructor_id);
    if (!instructor) throw new UnauthorizedException('The API key is not valid');
    if (instructor.disabled_at) {
      throw new UnauthorizedException("This API key's instructor account is disabled");
    }
    return {
      actor: {
        instructorId: instructor._id.toHexString(),
        role: instructor.role,
        name: instructor.name,
        email: instructor.email,
        zoomUserId: instructor.zoom_user_id ?? null,
        credentialId: key._id.toHexString(),
        keyPrefix: key.prefix,
        credentialExpiresAt: key.expires_at ?? null,
      },
      keyId: key._id.toHexString(),
      expiresAt: key.expires_at ?? null,
      lastUsedAt: key.last_used_at ?? null,
    };
  }

  /** Records use at most once a minute per key per instance; $max keeps instances from going back. */
  private touch(credential: CachedCredential, now: Date): void {
    const last = credential.lastUsedAt;
    if (last && now.getTime() - last.getTime() < LAST_USED_RESOLUTION_MS) return;
    credential.lastUsedAt = now;
    this.keys
      .updateOne({ _id: new Types.ObjectId(credential.keyId) }, { $max: { last_used_at: now } })
      .exec()
      .catch((error: Error) =>
        this.logger.warn(
          `last_used_at of key ${credential.actor.keyPrefix} not written: ${error.message}`,
        ),
      );
  }

  /**
   * Keys are managed by an admin, or by the instructor for themselves; for anyone else the
   * account does not exist (404), as for any other person's data.
   */
  private async ownedInstructor(actor: Actor, instructorId: Types.ObjectId) {
    if (actor.role !== 'admin' && actor.instructorId !== instructorId.toHexString()) {
      throw new NotFoundException(`Instructor ${instructorId.toHexString()} not found`);
    }
    return this.instructors.findById(instructorId);
  }

  /**
   * A key someone other than an admin makes for themselves expires no later than the key they made
   * it with: otherwise an expiry an admin gave (a substitute's week) would bound nothing, as that
   * key could mint one that never expires. Asked for no expiry, it gets that key's; asked for a
   * later one, 400 naming the limit. Admins manage every account's keys, so theirs are not capped.
   */
  private expiryFor(actor: Actor, dto: CreateApiKeyDto): Date | null {
    const asked = this.expiryOf(dto);
    const limit = actor.role === 'admin' ? null : actor.credentialExpiresAt;
    if (limit === null) return asked;
    if (asked === null) return limit;
    if (asked.getTime() > limit.getTime()) {
      throw new BadRequestException(
        `A key you make for yourself must expire no later than the key this request was made with, at ${limit.toISOString()}`,
      );
    }
    return asked;
  }

  private expiryOf(dto: CreateApiKeyDto): Date | null {
    const now = this.clock.now().getTime();
    if (dto.expires_in_days !== undefined && dto.expires_at !== undefined) {
      throw new BadRequestException('Send expires_in_days or expires_at, not both');
    }
    if (dto.expires_in_days !== undefined) return new Date(now + dto.expires_in_days * DAY_MS);
    if (dto.expires_at === undefined) return null;
    const at = new Date(dto.expires_at);
    if (Number.isNaN(at.getTime()) || at.getTime() <= now) {
      throw new BadRequestException('expires_at must be in the future');
    }
    if (at.getTime() > now + MAX_KEY_LIFETIME_DAYS * DAY_MS) {
      throw new BadRequestException(`expires_at must be within ${MAX_KEY_LIFETIME_DAYS} days`);
    }
    return at;
  }
}

function expired(at: Date): UnauthorizedException {
  return new UnauthorizedException(`This API key expired at ${at.toISOString()}`);
}
