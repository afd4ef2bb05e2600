/**
 * An import's questions before they are checked, whatever the file they came from: each with
 * where it is in the file (the CSV line a spreadsheet shows, or the JSON array index), the
 * create body read from it, and what reading it already found wrong (a cell Zoom's layout cannot
 * map, a row with more cells than the header).
 */
export type ItemRef = { line: number } | { index: number };

/** One thing wrong with an import: where, which field, why. */
export type ImportProblem = ItemRef & { field: string; reason: string };

export interface ImportItem {
  ref: ItemRef;
  body: unknown;
  problems: ImportProblem[];
}

/** Where an item is, in words, for a message ("line 4", "question 2"). */
export function describeRef(ref: ItemRef): string {
  return 'line' in ref ? `line ${ref.line}` : `questions[${ref.index}]`;
}

/** An item's place in its file, for listing problems in file order. */
export function positionOf(ref: ItemRef): number {
  return 'line' in ref ? ref.line : ref.index;
}
