import { html, type SafeHtml } from '../../../common/html/html';
import type { WordCountDto } from '../../../results/dto/results.response';
import { CHART_WIDTH, truncate } from './chart-types';

/** How many words a cloud shows (the results carry up to 100). */
export const CLOUD_SIZE = 50;
const MIN_SIZE = 22;
const MAX_SIZE = 76;
const GAP = 22;
const MARGIN = 12;
/** Colours that keep at least 4.5:1 on the page's white card (and a light set on the presenter's black). */
const PALETTE = 6;
/** Average glyph width as a share of the font size (system sans-serif); widths are estimates. */
const GLYPH = 0.6;

export interface PlacedWord {
  word: string;
  count: number;
  size: number;
  x: number;
  y: number;
  colour: number;
}

/** A fixed, locale-independent order for the words' places (the same on every server). */
const byWord = (a: WordCountDto, b: WordCountDto): number =>
  a.word < b.word ? -1 : a.word > b.word ? 1 : 0;

/**
 * The cloud's layout, deterministic (the same counts always give the same picture): the
 * CLOUD_SIZE most used words, font size by frequency (square root of the share of the most used,
 * MIN_SIZE to MAX_SIZE), placed in alphabetical order in centred lines that wrap at the width, so
 * big and small words mix and no two overlap. A word too wide for a line is set smaller.
 */
export function layoutCloud(words: WordCountDto[]): { placed: PlacedWord[]; height: number } {
  const top = words.slice(0, CLOUD_SIZE);
  if (top.length === 0) return { placed: [], height: 0 };
  const most = Math.max(...top.map((w) => w.count));
  const least = Math.min(...top.map((w) => w.count));
  const usable = CHART_WIDTH - 2 * MARGIN;
  const sized = [...top].sort(byWord).map((w, i) => {
    const text = truncate(w.word, 28);
    const share = most === least ? 1 : (w.count - least) / (most - least);
    let size = Math.round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * Math.sqrt(share));
    size = Math.min(size, Math.floor(usable / ([...text].length * GLYPH)));
    return { ...w, word: text, size, width: [...text].length * size * GLYPH, colour: i % PALETTE };
  });
  const lines: Array<typeof sized> = [];
  let line: typeof sized = [];
  let used = 0;
  for (const w of sized) {
    const need = (line.length > 0 ? GAP : 0) + w.width;
    if (line.length > 0 && used + need > usable) {
      lines.push(line);
      line = [];
      used = 0;
    }
    used += (line.length > 0 ? GAP : 0) + w.width;
    line.push(w);
  }
  lines.push(line);
  const placed: PlacedWord[] = [];
  let y = MARGIN;
  for (const l of lines) {
    const tallest = Math.max(...l.map((w) => w.size));
    const width = l.reduce((sum, w) => sum + w.width, 0) + GAP * (l.length - 1);
    let x = MARGIN + (usable - width) / 2;
    const baseline = y + tallest * 0.95;
    for (const w of l) {
      placed.push({
        word: w.word,
        count: w.count,
        size: w.size,
        x: Math.round(x),
        y: Math.round(baseline),
        colour: w.colour,
      });
      x += w.width + GAP;
    }
    y += tallest * 1.2;
  }
  return { placed, height: Math.ceil(y + MARGIN) };
}

/** The word cloud as an image with a text summary (the table beside lists every word). */
export function renderWordCloud(words: WordCountDto[], summary: string): SafeHtml {
  const { placed, height } = layoutCloud(words);
  if (placed.length === 0) {
    return html`<p class="muted chart-empty">No words yet.</p>`;
  }
  return html`<svg
    class="chart cloud"
    viewBox="0 0 ${CHART_WIDTH} ${height}"
    preserveAspectRatio="xMidYMin meet"
    role="img"
    aria-label="${summary}"
  >
    ${placed.map(
      (w) =>
        html`<text class="w${w.colour}" x="${w.x}" y="${w.y}" font-size="${w.size}"
          >${w.word}</text
        >`,
    )}
  </svg>`;
}
