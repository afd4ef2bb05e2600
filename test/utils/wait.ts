/**
 * Waits for a condition instead of for a time: checks every `everyMs` until it holds, and fails
 * naming `what` once `timeoutMs` has passed. Tests wait for outcomes this way so that a loaded
 * machine makes them slower, never wrong.
 */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
