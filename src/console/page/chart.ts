import { html, type SafeHtml } from '../../common/html/html';

/** What the chart draws: the TallyDto shape of the results and the live stream. */
export interface ChartTally {
  answered: number;
  options: Array<{
    index: number;
    text: string;
    count: number;
    percent: number;
    correct: boolean | null;
  }>;
}

const LETTERS = 'ABCDEFGHIJ';
const WIDTH = 1000;
const ROW = 84;
const BAR_X = 0;
/** Room on the right of a full bar for its count. */
const BAR_WIDTH = 760;
const LABEL_CHARS = 58;

export const optionLetter = (index: number): string => LETTERS[index] ?? String(index + 1);

const truncate = (text: string): string =>
  text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;

/**
 * The results as a horizontal bar chart (SVG drawn here, on the server, so it shows without
 * JavaScript) and the same numbers as a table for screen readers (the SVG itself is hidden from
 * them). Bars are sized by share of the answers; the console script moves them in place as
 * counts arrive (data-bar, data-count, data-cell-*). After a reveal the right option's bar is
 * marked: by colour and by a check mark and the word "right" (never by colour alone).
 */
export function renderChart(
  tally: ChartTally,
  options: { revealed: boolean; captionId: string; tableVisible: boolean },
): SafeHtml {
  const height = tally.options.length * ROW + 8;
  const rows = tally.options.map((o, i) => {
    const top = i * ROW;
    const share = tally.answered > 0 ? o.count / tally.answered : 0;
    const width = Math.round(share * BAR_WIDTH);
    return html`<g>
      <text class="label" x="${BAR_X}" y="${top + 28}" font-size="26">
        ${optionLetter(i)}.
        ${truncate(o.text)}${
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
  return html`<figure
    class="chart-figure${options.revealed ? ' revealed' : ''}"
    data-chart
    data-bar-x="${BAR_X}"
    data-bar-width="${BAR_WIDTH}"
  >
    <svg
      class="chart"
      viewBox="0 0 ${WIDTH} ${height}"
      preserveAspectRatio="xMinYMin meet"
      aria-hidden="true"
      focusable="false"
    >
      ${rows}
    </svg>
    <div class="${options.tableVisible ? 'table-wrap' : 'sr-only'}">
      <table>
        <caption id="${options.captionId}">
          Answers per option (<span data-answered>${tally.answered}</span>
          answered)
        </caption>
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
      </table>
    </div>
  </figure>`;
}
