import type {
  OptionCountDto,
  ResultsQuestionDto,
  TypeSummaryDto,
} from '../../../results/dto/results.response';

/** What a chart draws: the TallyDto shape of the results and the live stream. */
export interface ChartTally {
  answered: number;
  options: OptionCountDto[];
  /** The per-type section; absent only on counts drawn before types (read as single). */
  summary?: TypeSummaryDto;
}

export interface ChartOptions {
  revealed: boolean;
  /** The id of the table's caption (one chart per page). */
  captionId: string;
  /** The table alternative shown (live room), or for screen readers only (presenter). */
  tableVisible: boolean;
  /** The question as sent: the right value, the unit, the right order. */
  question?: Pick<
    ResultsQuestionDto,
    'correct_value' | 'tolerance' | 'unit' | 'correct_order' | 'accepted_answers'
  >;
}

/** Width of every chart's viewBox; heights follow the content. */
export const CHART_WIDTH = 1000;
/**
 * The phone layout's width (histograms and word clouds are drawn twice; CSS shows the one that
 * fits): half as wide, so the same font sizes read twice as large on a small screen.
 */
export const NARROW_WIDTH = 500;

/** Numbers as people read them: at most three decimals, no float noise. */
export const formatNumber = (n: number): string =>
  Number.isInteger(n) ? String(n) : String(Number(n.toFixed(3)));

/** Shortens a label to `max` characters with an ellipsis. */
export const truncate = (text: string, max: number): string =>
  [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text;
