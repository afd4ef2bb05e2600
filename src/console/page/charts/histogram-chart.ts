import { html, type SafeHtml } from '../../../common/html/html';
import { CHART_WIDTH, NARROW_WIDTH, truncate } from './chart-types';

export interface HistogramBar {
  /** Under the bar: the scale point, or the bucket's range. */
  label: string;
  /** The bar's label for the table (may be longer than the axis label). */
  name: string;
  count: number;
  /** Holds the right answer (shown once revealed). */
  right: boolean;
}

const PLOT_HEIGHT = 300;
const TOP = 44;

/**
 * Vertical bars over a scale or over numeric buckets: heights by count (the tallest bar full),
 * the count above each bar, the label under it, and optional end labels (a rating scale's words).
 * The SVG is an image with a text summary (`summary`); the same numbers are in the table beside.
 */
export function renderHistogram(
  bars: HistogramBar[],
  input: { summary: string; ends?: { start: string | null; end: string | null } },
): SafeHtml {
  return html`${histogramSvg(bars, input, CHART_WIDTH, 'wide')}${histogramSvg(bars, input, NARROW_WIDTH, 'narrow')}`;
}

const MIN_LABEL = 20;

function histogramSvg(
  bars: HistogramBar[],
  input: { summary: string; ends?: { start: string | null; end: string | null } },
  width: number,
  fit: string,
): SafeHtml {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.max(8, slot * 0.78);
  const longest = Math.max(1, ...bars.map((b) => b.label.length));
  const fitted = (slot * 0.95) / (longest * 0.58);
  const labelSize = Math.max(MIN_LABEL, Math.min(26, fitted));
  // Labels too long for their bar: every `every`-th bar is labelled (the table has them all).
  const every = fitted < MIN_LABEL ? Math.ceil(MIN_LABEL / fitted) : 1;
  const hasEnds = !!input.ends && (!!input.ends.start || !!input.ends.end);
  const height = TOP + PLOT_HEIGHT + 44 + (hasEnds ? 40 : 0);
  const base = TOP + PLOT_HEIGHT;
  return html`<svg
    class="chart histogram ${fit}"
    viewBox="0 0 ${width} ${height}"
    preserveAspectRatio="xMinYMin meet"
    role="img"
    aria-label="${input.summary}"
  >
    <line class="axis" x1="0" y1="${base}" x2="${width}" y2="${base}" />
    ${bars.map((b, i) => {
      const h = Math.round((b.count / max) * PLOT_HEIGHT);
      const x = Math.round(i * slot + (slot - barWidth) / 2);
      const mid = Math.round(i * slot + slot / 2);
      return html`<g>
        <rect
          class="hbar${b.right ? ' correct' : ''}"
          x="${x}"
          y="${base - h}"
          width="${Math.round(barWidth)}"
          height="${h}"
          rx="3"
        />
        <text class="count" x="${mid}" y="${base - h - 10}" text-anchor="middle" font-size="26">
          ${b.count}
        </text>
        ${
          i % every === 0
            ? html`<text
                class="label"
                x="${mid}"
                y="${base + 32}"
                text-anchor="middle"
                font-size="${Math.round(labelSize)}"
              >
                ${b.label}${b.right ? html`<tspan class="mark"> ✓</tspan>` : null}
              </text>`
            : null
        }
      </g>`;
    })}
    ${
      hasEnds && input.ends
        ? html`<text class="end" x="0" y="${height - 8}" font-size="22">
              ${truncate(input.ends.start ?? '', 40)}
            </text>
            <text class="end" x="${width}" y="${height - 8}" text-anchor="end" font-size="22">
              ${truncate(input.ends.end ?? '', 40)}
            </text>`
        : null
    }
  </svg>`;
}
