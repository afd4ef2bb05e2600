/**
 * How a typed answer is compared with a text question's accepted answers: case, accents and
 * spacing do not matter ("  São   PAULO " matches "sao paulo"); punctuation and spelling do.
 */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Whether `text` is one of `accepted` under normalizeForMatch. */
export function matchesAccepted(text: string, accepted: readonly string[]): boolean {
  const typed = normalizeForMatch(text);
  return accepted.some((a) => normalizeForMatch(a) === typed);
}
