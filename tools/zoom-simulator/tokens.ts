import { randomBytes } from 'node:crypto';

/**
 * Issued access tokens. Several are valid at once (docs/zoom.md §1: a new token no longer revokes the
 * old one); revokeAll() kills every token issued so far, as a secret rotation or app
 * deactivation would, so clients can be tested on the 401 code 124 path.
 */
export class TokenStore {
  private readonly expiries = new Map<string, number>();
  private issuedCount = 0;

  constructor(private ttlSeconds: number) {}

  get ttl(): number {
    return this.ttlSeconds;
  }

  get issued(): number {
    return this.issuedCount;
  }

  issue(now: number = Date.now()): string {
    // Zoom's tokens are long opaque JWT-like strings; clients must not parse them.
    const token = `sim.${randomBytes(32).toString('base64url')}`;
    this.expiries.set(token, now + this.ttlSeconds * 1000);
    this.issuedCount++;
    return token;
  }

  isValid(token: string, now: number = Date.now()): boolean {
    const expiry = this.expiries.get(token);
    if (expiry === undefined) return false;
    if (expiry <= now) {
      this.expiries.delete(token);
      return false;
    }
    return true;
  }

  revokeAll(): void {
    this.expiries.clear();
  }

  resetCount(): void {
    this.issuedCount = 0;
  }
}
