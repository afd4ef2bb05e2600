import { html, type SafeHtml } from '../../../common/html/html';
import type { WordCountDto } from '../../../results/dto/results.response';
import { CHART_WIDTH, NARROW_WIDTH, truncate } from './chart-types';

/** How many words a cloud shows (the results carry up to 100). */
export const CLOUD_SIZE = 50;
const MIN_SIZE = 22;
const MAX_SIZE = 76;
/** Space between two words: a share of the larger one's size, and at least MIN_GAP. */
const GAP = 0.45;
const MIN_GAP = 16;
const MARGIN = 12;
/** Colours that keep at least 4.5:1 on the page's white card (and a light set on the presenter's black). */
const PALETTE = 6;
/**
 * Average bold glyph width as a share of the font size (system sans-serif). Each word is drawn
 * at exactly its estimated width (SVG textLength), so whatever font the browser picks, the words
 * keep the places computed here and never overlap.
 */
const GLYPH = 0.62;

export interface PlacedWord {
  word: string;
  count: number;
  size: number;
  width: number;
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
export function layoutCloud(
  words: WordCountDto[],
  chartWidth = CHART_WIDTH,
): { placed: PlacedWord[]; height: number } {
  // The most used first, ties alphabetically: the same words whatever order they came in.
  const top = [...words].sort((a, b) => b.count - a.count || byWord(a, b)).slice(0, CLOUD_SIZE);
  if (top.length === 0) return { placed: [], height: 0 };
  const most = Math.max(...top.map((w) => w.count));
  const least = Math.min(...top.map((w) => w.count));
  const usable = chartWidth - 2 * MARGIN;
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
  const gapBefore = (l: typeof sized, w: (typeof sized)[number]): number =>
    l.length > 0 ? Math.max(MIN_GAP, GAP * Math.max(l[l.length - 1].size, w.size)) : 0;
  for (const w of sized) {
    if (line.length > 0 && used + gapBefore(line, w) + w.width > usable) {
      lines.push(line);
      line = [];
      used = 0;
    }
    used += gapBefore(line, w) + w.width;
    line.push(w);
  }
  lines.push(line);
  const placed: PlacedWord[] = [];
  let y = MARGIN;
  for (const l of lines) {
    const tallest = Math.max(...l.map((w) => w.size));
    const gaps = l.map((w, i) => gapBefore(l.slice(0, i), w));
    const width = l.reduce((sum, w, i) => sum + w.width + gaps[i], 0);
    let x = MARGIN + (usable - width) / 2;
    const baseline = y + tallest * 0.95;
    for (const [i, w] of l.entries()) {
      x += gaps[i];
      placed.push({
        word: w.word,
        count: w.count,
        size: w.size,
        width: Math.round(w.width),
        x: Math.round(x),
        y: Math.round(baseline),
        colour: w.colour,
      });
      x += w.width;
    }
    y += tallest * 1.2;
  }
  return { placed, height: Math.ceil(y + MARGIN) };
}

/**
 * The word cloud as an image with a text summary (the table beside lists every word), laid out
 * twice: for wide screens and, narrower so small words stay legible, for phones (CSS shows one).
 */
export function renderWordCloud(words: WordCountDto[], summary: string): SafeHtml {
  if (words.length === 0) return html`<p class="muted chart-empty">No words yet.</p>`;
  return html`${cloudSvg(words, summary, CHART_WIDTH, 'wide')}${cloudSvg(words, summary, NARROW_WIDTH, 'narrow')}`;
}

function cloudSvg(words: WordCountDto[], summary: string, width: number, fit: string): SafeHtml {
  const { placed, height } = layoutCloud(words, width);
  return html`<svg
    class="chart cloud ${fit}"
    viewBox="0 0 ${width} ${height}"
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
