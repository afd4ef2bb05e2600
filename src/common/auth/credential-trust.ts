/**
 * How long any instance trusts what it read about a credential (an instructor key, a console
 * session) before reading it again: the one bound on how stale a per-instance credential cache
 * may be. A revocation, a disabled account or a sign-out on another instance is refused here
 * within this plus one read, and an open live stream within that plus CREDENTIAL_RECHECK_MS
 * (src/results/results-stream.service.ts): under the 5 s every instance promises (README,
 * docs/architecture.md §11). Caches are never stacked: a session's cache holds the session only,
 * and its key is checked through the key cache on every use, so neither adds to the other.
 */
export const CREDENTIAL_TRUST_MS = 2_000;
