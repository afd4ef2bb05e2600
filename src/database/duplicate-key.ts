/** MongoDB's duplicate key error: a unique index refused a write (a concurrent insert won). */
export const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;
}
