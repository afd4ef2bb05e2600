import { html, type SafeHtml } from '../../common/html/html';
import type {
  NumericSummaryDto,
  RankingSummaryDto,
  RatingSummaryDto,
  TextSummaryDto,
} from '../../results/dto/results.response';
import {
  CHART_WIDTH,
  formatNumber,
  truncate,
  type ChartOptions,
  type ChartTally,
} from './charts/chart-types';
import { renderHistogram, type HistogramBar } from './charts/histogram-chart';
import { CLOUD_SIZE, renderWordCloud } from './charts/word-cloud';

export type { ChartTally } from './charts/chart-types';

const LETTERS = 'ABCDEFGHIJ';
const ROW = 84;
const BAR_X = 0;
/** Room on the right of a full bar for its count. */
const BAR_WIDTH = 760;
const LABEL_CHARS = 58;

export const optionLetter = (index: number): string => LETTERS[index] ?? String(index + 1);

/**
 * The results as a chart drawn here, on the server (an SVG image with a text summary, so it shows
 * without JavaScript), and the same numbers as a table: shown in the live room, for screen
 * readers only in the presenter view. One chart per question type: bars per option (single,
 * true_false, multiple), a histogram over the scale (rating) or over buckets (numeric), a word
 * cloud (text), bars by mean place (ranking). The console script moves option bars in place as
 * counts arrive (data-bar, data-count, data-cell-*); the other charts are re-read with the page
 * (data-refresh="chart"). After a reveal the right answer is marked by colour and by a check mark
 * and words (never by colour alone).
 */
export function renderChart(tally: ChartTally, options: ChartOptions): SafeHtml {
  const summary = tally.summary;
  switch (summary?.type) {
    case 'rating':
      return renderRating(tally, summary, options);
    case 'numeric':
      return renderNumeric(tally, summary, options);
    case 'text':
      return renderText(tally, summary, options);
    case 'ranking':
      return renderRanking(tally, summary, options);
    default:
      return renderOptionBars(tally, options);
  }
}

/** The figure around a chart and its table; `live`: redrawn by the script from the stream. */
function figure(
  options: ChartOptions,
  input: { kind: string; live: boolean; chart: SafeHtml; table: SafeHtml; extra?: SafeHtml },
): SafeHtml {
  return html`<figure
    class="chart-figure${options.revealed ? ' revealed' : ''} chart-${input.kind}"
    data-chart="${input.kind}"
    ${input.live ? html`data-bar-x="${BAR_X}" data-bar-width="${BAR_WIDTH}"` : html`data-refresh="chart"`}
  >
    ${input.chart}
    <div class="${options.tableVisible ? 'table-wrap' : 'sr-only'}">${input.table}</div>
    ${input.extra ?? null}
  </figure>`;
}

function answeredCaption(options: ChartOptions, what: string, answered: number): SafeHtml {
  return html`<caption id="${options.captionId}">
    ${what} (<span data-answered>${answered}</span>
    answered)
  </caption>`;
}

// ---------------------------------------------------------------- single, true_false, multiple

function renderOptionBars(tally: ChartTally, options: ChartOptions): SafeHtml {
  const height = tally.options.length * ROW + 8;
  const multiple = tally.summary?.type === 'multiple';
  const rows = tally.options.map((o, i) => {
    const top = i * ROW;
    const share = tally.answered > 0 ? o.count / tally.answered : 0;
    const width = Math.round(share * BAR_WIDTH);
    return html`<g>
      <text class="label" x="${BAR_X}" y="${top + 28}" font-size="26">
        ${optionLetter(i)}.
        ${truncate(o.text, LABEL_CHARS)}${
          o.correct === true ? html`<tspan class="mark" dx="10">✓ right</tspan>` : null
        }
      </text>
      <rect class="track" x="${BAR_X}" y="${top + 38}" width="${BAR_WIDTH}" height="36" rx="4" />
      <rect
        class="bar${o.correct === true ? ' correct' : ''}"
        data-bar="${i}"
        x="${BAR_X}"
        y="${top + 38}"
        width="${width}"
        height="36"
        rx="4"
      />
      <text
        class="count"
        data-count="${i}"
        x="${BAR_X + width + 12}"
        y="${top + 66}"
        font-size="26"
      >
        ${o.count} (${o.percent}%)
      </text>
    </g>`;
  });
  const tableRows = tally.options.map(
    (o, i) =>
      html`<tr>
        <th scope="row">${optionLetter(i)}. ${o.text}</th>
        <td class="num" data-cell-count="${i}">${o.count}</td>
        <td class="num" data-cell-percent="${i}">${o.percent}%</td>
        ${options.revealed ? html`<td>${o.correct === true ? 'Right answer' : ''}</td>` : null}
      </tr>`,
  );
  const exact =
    tally.summary?.type === 'multiple' && tally.summary.exact_matches !== null
      ? html`<p class="chart-note" data-refresh="exact">
          Exactly the right set: ${tally.summary.exact_matches}
          (${tally.summary.exact_percent ?? 0}%)
        </p>`
      : undefined;
  return figure(options, {
    kind: 'options',
    live: true,
    // The numbers change live; the label says what the picture is and where the numbers are.
    chart: html`<svg
      class="chart"
      viewBox="0 0 ${CHART_WIDTH} ${height}"
      preserveAspectRatio="xMinYMin meet"
      role="img"
      aria-label="Bar chart of the answers per option${
        multiple ? ' (each answer may pick several)' : ''
      }; the table has the numbers"
    >
      ${rows}
    </svg>`,
    table: html`<table>
      ${answeredCaption(options, 'Answers per option', tally.answered)}
      <thead>
        <tr>
          <th scope="col">Option</th>
          <th scope="col" class="num">Answers</th>
          <th scope="col" class="num">Share</th>
          ${options.revealed ? html`<th scope="col">Result</th>` : null}
        </tr>
      </thead>
      <tbody>
        ${tableRows}
      </tbody>
    </table>`,
    extra: exact,
  });
}

// ---------------------------------------------------------------- rating

function renderRating(tally: ChartTally, s: RatingSummaryDto, options: ChartOptions): SafeHtml {
  const stats =
    s.mean === null
      ? 'no answers yet'
      : `mean ${formatNumber(s.mean)}, median ${formatNumber(s.median ?? 0)}`;
  const summary = `Histogram of ${tally.answered} ratings from ${s.scale.min} to ${s.scale.max}: ${stats}. ${s.distribution
    .map((p) => `${p.value}: ${p.count}`)
    .join(', ')}.`;
  return figure(options, {
    kind: 'rating',
    live: false,
    chart: html`${renderHistogram(
        s.distribution.map((p) => ({
          label: String(p.value),
          name: String(p.value),
          count: p.count,
          right: false,
        })),
        { summary, ends: { start: s.scale.min_label, end: s.scale.max_label } },
      )}
      <p class="chart-note">
        ${
          s.mean === null
            ? 'No ratings yet.'
            : html`Mean <strong>${formatNumber(s.mean)}</strong>, median
                <strong>${formatNumber(s.median ?? 0)}</strong>`
        }
      </p>`,
    table: html`<table>
      ${answeredCaption(options, 'Ratings per point of the scale', tally.answered)}
      <thead>
        <tr>
          <th scope="col">Rating</th>
          <th scope="col" class="num">Answers</th>
          <th scope="col" class="num">Share</th>
        </tr>
      </thead>
      <tbody>
        ${s.distribution.map(
          (p) =>
            html`<tr>
              <th scope="row">
                ${p.value}${
                  p.value === s.scale.min && s.scale.min_label ? ` (${s.scale.min_label})` : ''
                }${p.value === s.scale.max && s.scale.max_label ? ` (${s.scale.max_label})` : ''}
              </th>
              <td class="num">${p.count}</td>
              <td class="num">${p.percent}%</td>
            </tr>`,
        )}
      </tbody>
    </table>`,
  });
}

// ---------------------------------------------------------------- numeric

function renderNumeric(tally: ChartTally, s: NumericSummaryDto, options: ChartOptions): SafeHtml {
  const unit = s.unit ? ` ${s.unit}` : '';
  const right = options.question?.correct_value ?? null;
  const tolerance = options.question?.tolerance ?? 0;
  const showRight = options.revealed && right !== null;
  const bars: HistogramBar[] = s.buckets.map((b, i) => {
    const last = i === s.buckets.length - 1;
    const range =
      b.from === b.to ? formatNumber(b.from) : `${formatNumber(b.from)}–${formatNumber(b.to)}`;
    return {
      label: range,
      name:
        b.from === b.to
          ? range
          : `${formatNumber(b.from)} to under ${formatNumber(b.to)}${last ? ' (and the maximum)' : ''}`,
      count: b.count,
      right:
        showRight &&
        right !== null &&
        right + tolerance >= b.from &&
        right - tolerance < (last ? b.to + Number.EPSILON : b.to),
    };
  });
  const stats =
    s.median === null
      ? 'no answers yet'
      : `median ${formatNumber(s.median)}${unit}, middle half ${formatNumber(s.q1 ?? 0)} to ${formatNumber(s.q3 ?? 0)}, range ${formatNumber(s.min ?? 0)} to ${formatNumber(s.max ?? 0)}`;
  const summary = `Histogram of ${tally.answered} numeric answers: ${stats}.`;
  const statRows: Array<[string, number | null]> = [
    ['Lowest', s.min],
    ['Lower quartile', s.q1],
    ['Median', s.median],
    ['Upper quartile', s.q3],
    ['Highest', s.max],
    ['Mean', s.mean],
  ];
  return figure(options, {
    kind: 'numeric',
    live: false,
    chart: html`${
      bars.length > 0
        ? renderHistogram(bars, { summary })
        : html`<p class="muted chart-empty">No answers yet.</p>`
    }
    ${
      showRight
        ? html`<p class="chart-note right-note">
            ✓ Right answer:
            ${formatNumber(right ?? 0)}${tolerance ? ` ± ${formatNumber(tolerance)}` : ''}${unit}
          </p>`
        : null
    }`,
    table: html`<table>
        ${answeredCaption(options, `Numeric answers${unit ? ` (${s.unit})` : ''}`, tally.answered)}
        <thead>
          <tr>
            <th scope="col">Range</th>
            <th scope="col" class="num">Answers</th>
          </tr>
        </thead>
        <tbody>
          ${bars.map(
            (b) =>
              html`<tr>
                <th scope="row">${b.name}${b.right ? ' (right answer)' : ''}</th>
                <td class="num">${b.count}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <table>
        <caption>
          Statistics
        </caption>
        <tbody>
          ${statRows.map(
            ([name, value]) =>
              html`<tr>
                <th scope="row">${name}</th>
                <td class="num">${value === null ? '–' : `${formatNumber(value)}${unit}`}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  });
}

// ---------------------------------------------------------------- text

function renderText(tally: ChartTally, s: TextSummaryDto, options: ChartOptions): SafeHtml {
  const shown = s.words.slice(0, CLOUD_SIZE);
  const summary =
    shown.length === 0
      ? `Word cloud of ${tally.answered} text answers: no words yet.`
      : `Word cloud of ${tally.answered} text answers; most used: ${shown
          .slice(0, 5)
          .map((w) => `${w.word} (${w.count})`)
          .join(', ')}.`;
  const accepted = options.question?.accepted_answers ?? [];
  return figure(options, {
    kind: 'text',
    live: false,
    chart: html`${renderWordCloud(s.words, summary)}
    ${
      options.revealed && accepted.length > 0
        ? html`<p class="chart-note right-note">✓ Accepted: ${accepted.join('; ')}</p>`
        : null
    }`,
    table: html`<table>
        ${answeredCaption(options, 'Words used, most used first', tally.answered)}
        <thead>
          <tr>
            <th scope="col">Word</th>
            <th scope="col" class="num">Answers using it</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map(
            (w) =>
              html`<tr>
                <th scope="row">${w.word}</th>
                <td class="num">${w.count}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <table>
        <caption>
          Answers, most frequent first (${s.distinct_answers} different)
        </caption>
        <thead>
          <tr>
            <th scope="col">Answer</th>
            <th scope="col" class="num">Times</th>
          </tr>
        </thead>
        <tbody>
          ${s.answers.map(
            (a) =>
              html`<tr>
                <td class="answer-text">${a.text}</td>
                <td class="num">${a.count}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  });
}

// ---------------------------------------------------------------- ranking

function renderRanking(tally: ChartTally, s: RankingSummaryDto, options: ChartOptions): SafeHtml {
  const n = s.items.length;
  const sorted = [...s.items].sort(
    (a, b) =>
      (a.mean_position ?? Number.POSITIVE_INFINITY) -
        (b.mean_position ?? Number.POSITIVE_INFINITY) || a.index - b.index,
  );
  const height = sorted.length * ROW + 8;
  const rows = sorted.map((item, i) => {
    const top = i * ROW;
    // Ranked first every time: a full bar; last every time: an empty one.
    const share = item.mean_position === null || n < 2 ? 0 : (n - item.mean_position) / (n - 1);
    const width = Math.round(share * BAR_WIDTH);
    const right = options.revealed && item.correct_position !== null;
    return html`<g>
      <text class="label" x="${BAR_X}" y="${top + 28}" font-size="26">
        ${i + 1}.
        ${truncate(item.text, LABEL_CHARS)}${
          right
            ? html`<tspan class="mark" dx="10">✓ right place ${item.correct_position}</tspan>`
            : null
        }
      </text>
      <rect class="track" x="${BAR_X}" y="${top + 38}" width="${BAR_WIDTH}" height="36" rx="4" />
      <rect class="bar" x="${BAR_X}" y="${top + 38}" width="${width}" height="36" rx="4" />
      <text class="count" x="${BAR_X + width + 12}" y="${top + 66}" font-size="26">
        ${item.mean_position === null ? '–' : `place ${formatNumber(item.mean_position)}`}
      </text>
    </g>`;
  });
  const summary =
    tally.answered === 0
      ? 'Ranking chart: no answers yet.'
      : `Ranking chart of ${tally.answered} answers, by mean place: ${sorted
          .map(
            (item) =>
              `${item.text} ${item.mean_position === null ? '–' : formatNumber(item.mean_position)}`,
          )
          .join(', ')}.`;
  return figure(options, {
    kind: 'ranking',
    live: false,
    chart: html`<svg
      class="chart"
      viewBox="0 0 ${CHART_WIDTH} ${height}"
      preserveAspectRatio="xMinYMin meet"
      role="img"
      aria-label="${summary}"
    >
      ${rows}
    </svg>`,
    table: html`<table>
      ${answeredCaption(options, 'Mean place per option (1 = top)', tally.answered)}
      <thead>
        <tr>
          <th scope="col">Option</th>
          <th scope="col" class="num">Mean place</th>
          ${
            options.revealed
              ? html`<th scope="col" class="num">Right place</th>
                  <th scope="col" class="num">Put there</th>`
              : null
          }
        </tr>
      </thead>
      <tbody>
        ${sorted.map(
          (item) =>
            html`<tr>
              <th scope="row">${item.text}</th>
              <td class="num">
                ${item.mean_position === null ? '–' : formatNumber(item.mean_position)}
              </td>
              ${
                options.revealed
                  ? html`<td class="num">${item.correct_position ?? '–'}</td>
                      <td class="num">
                        ${item.in_place_percent === null ? '–' : `${item.in_place_percent}%`}
                      </td>`
                  : null
              }
            </tr>`,
        )}
      </tbody>
    </table>`,
  });
}
