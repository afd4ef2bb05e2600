import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { BootstrapKeys } from '../common/auth/bootstrap-keys';
import { AppConfig } from '../config/app-config';
import { hashKey } from '../instructors/api-key-format';
import { ApiKeysService } from '../instructors/api-keys.service';

/**
 * Who an API key acts for, for signing in to the console and for re-checking a session's key on
 * every use: a bootstrap key (API_KEYS) or an instructor key (ApiKeysService). A session keeps
 * only the key's hash (hashKey), so it can be re-checked without keeping the key: a key revoked,
 * expired, rotated out of API_KEYS or whose account is disabled ends its sessions too.
 */
@Injectable()
export class ConsoleKeys {
  private readonly bootstrap: BootstrapKeys;

  constructor(
    config: AppConfig,
    private readonly apiKeys: ApiKeysService,
  ) {
    this.bootstrap = new BootstrapKeys(config.apiKeys);
  }

  /** The actor of a typed key, or 401 saying why not. */
  async signIn(presented: string): Promise<{ actor: Actor; keyHash: string }> {
    const actor =
      this.bootstrap.actorFor(presented) ?? (await this.apiKeys.authenticate(presented));
    return { actor, keyHash: hashKey(presented) };
  }

  /** The actor of a key known only by its hash; null once the key is no longer valid. */
  async byHash(hash: string): Promise<Actor | null> {
    const bootstrap = this.bootstrap.actorForHash(hash);
    if (bootstrap) return bootstrap;
    try {
      return await this.apiKeys.authenticateHash(hash);
    } catch (error) {
      if (error instanceof UnauthorizedException) return null;
      throw error;
    }
  }
}
