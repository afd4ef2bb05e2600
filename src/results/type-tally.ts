import { storedCredit } from '../answers/answer.types';
import type { QuestionSnapshot } from '../broadcasts/broadcast.types';
import { isScored, scalePoints } from '../question-types/question-types';
import { normalizeForMatch } from '../question-types/text-match';
import type {
  OptionCountDto,
  RankingItemDto,
  TallyDto,
  TextAnswerCountDto,
  TypeSummaryDto,
} from './dto/results.response';
import { histogram, mean, quantile, round3 } from './numeric-stats';
import { compareText, WordCounter } from './word-cloud/word-frequencies';

/**
 * What a tally needs of one answer: its value (the fields of the question's type, flat as stored,
 * src/question-types/question-types.ts), its correctness and credit, and the page language (the
 * word cloud's stop words). Nothing about who answered.
 */
export interface TallyAnswer {
  choice?: number | null;
  choices?: number[] | null;
  value?: number | null;
  text?: string | null;
  order?: number[] | null;
  correct: boolean | null;
  /** Absent on answers stored before partial credit: correct true = 1, false = 0, null = null. */
  credit?: number | null;
  /** The answer page's language when answered; absent = 'en'. */
  lang?: string | null;
}

/** An answer's credit, 0 to 1 (null: unscored): the answers module's rule (storedCredit). */
export function creditOf(answer: Pick<TallyAnswer, 'correct' | 'credit'>): number | null {
  return storedCredit(answer);
}

export const percent = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10;

const isIndexList = (list: unknown, size: number): list is number[] =>
  Array.isArray(list) && list.every((i) => Number.isInteger(i) && i >= 0 && i < size);

/** Whether an answer carries the value its question's type needs (a live event may not). */
export function hasValueFor(question: QuestionSnapshot, answer: TallyAnswer): boolean {
  switch (question.type) {
    case 'single':
    case 'true_false':
      return typeof answer.choice === 'number';
    case 'multiple':
      return Array.isArray(answer.choices);
    case 'rating':
    case 'numeric':
      return typeof answer.value === 'number';
    case 'text':
      return typeof answer.text === 'string';
    case 'ranking':
      return Array.isArray(answer.order);
  }
}

/** Equal text answers: the same ignoring case, accents and spacing (as accepted answers match). */
export const textKey = normalizeForMatch;

/** How many text answers the live stream carries (the results carry them all). */
export const STREAM_TEXT_ANSWERS = 50;
/** How many words a word cloud gets. */
export const CLOUD_WORDS = 100;

/**
 * Running counts of one question's answers, for every type: added to one answer at a time (the
 * live stream adds each answer event) and read as the TallyDto at any time. Adding is cheap
 * (counters, or an append for numeric values); the order statistics are computed when read,
 * which the stream does at most every 100 ms.
 */
export class LiveTally {
  private answered = 0;
  private correctCount = 0;
  private creditSum = 0;
  private credited = 0;
  private readonly scored: boolean;
  /** single, true_false, multiple: answers per option. */
  private readonly optionCounts: number[];
  /** multiple */
  private exact = 0;
  private picked = 0;
  /** rating: answers per scale point, min first; rating and numeric: the values. */
  private readonly pointCounts: number[];
  private readonly values: number[] = [];
  private sortedUpTo = 0;
  /** text */
  private readonly words = new WordCounter();
  private readonly texts = new Map<string, { text: string; count: number }>();
  /** ranking: sum of places (1 = top) and answers placing it right, per option. */
  private readonly placeSums: number[];
  private readonly inPlace: number[];
  private ranked = 0;

  constructor(private readonly question: QuestionSnapshot) {
    this.scored = isScored(question);
    const size = question.options.length;
    this.optionCounts = new Array<number>(size).fill(0);
    this.placeSums = new Array<number>(size).fill(0);
    this.inPlace = new Array<number>(size).fill(0);
    this.pointCounts = question.scale ? scalePoints(question.scale).map(() => 0) : [];
  }

  static of(question: QuestionSnapshot, answers: Iterable<TallyAnswer>): LiveTally {
    const tally = new LiveTally(question);
    for (const answer of answers) tally.add(answer);
    return tally;
  }

  get count(): number {
    return this.answered;
  }

  add(answer: TallyAnswer): void {
    const q = this.question;
    const size = q.options.length;
    this.answered++;
    if (this.scored) {
      if (answer.correct === true) this.correctCount++;
      const credit = creditOf(answer);
      if (credit !== null) {
        this.creditSum += credit;
        this.credited++;
      }
    }
    switch (q.type) {
      case 'single':
      case 'true_false':
        if (typeof answer.choice === 'number' && answer.choice in this.optionCounts) {
          this.optionCounts[answer.choice]++;
        }
        break;
      case 'multiple': {
        if (!isIndexList(answer.choices, size)) break;
        for (const i of answer.choices) this.optionCounts[i]++;
        this.picked += answer.choices.length;
        const right = q.correct_answers ?? [];
        const picked = new Set(answer.choices);
        if (picked.size === right.length && right.every((i) => picked.has(i))) this.exact++;
        break;
      }
      case 'rating':
      case 'numeric':
        if (typeof answer.value !== 'number' || !Number.isFinite(answer.value)) break;
        this.values.push(answer.value);
        if (q.scale) {
          const at = answer.value - q.scale.min;
          if (at in this.pointCounts) this.pointCounts[at]++;
        }
        break;
      case 'text': {
        if (typeof answer.text !== 'string') break;
        this.words.add(answer.text, answer.lang);
        const key = textKey(answer.text);
        const group = this.texts.get(key);
        if (group) group.count++;
        else this.texts.set(key, { text: answer.text.trim(), count: 1 });
        break;
      }
      case 'ranking': {
        if (!isIndexList(answer.order, size) || answer.order.length !== size) break;
        this.ranked++;
        answer.order.forEach((option, place) => {
          this.placeSums[option] += place + 1;
          if (q.correct_order && q.correct_order[place] === option) this.inPlace[option]++;
        });
        break;
      }
    }
  }

  /** The counts now. `textAnswers`: how many grouped text answers to include (most frequent). */
  toDto(textAnswers = Number.POSITIVE_INFINITY): TallyDto {
    const answered = this.answered;
    return {
      type: this.question.type,
      answered,
      options: this.options(),
      correct_count: this.scored ? this.correctCount : null,
      correct_percent: this.scored && answered > 0 ? percent(this.correctCount, answered) : null,
      mean_credit: this.scored && this.credited > 0 ? round3(this.creditSum / this.credited) : null,
      summary: this.summary(textAnswers),
    };
  }

  private options(): OptionCountDto[] {
    const q = this.question;
    if (q.type !== 'single' && q.type !== 'true_false' && q.type !== 'multiple') return [];
    const right = (index: number): boolean | null => {
      if (!this.scored) return null;
      return q.type === 'multiple'
        ? (q.correct_answers ?? []).includes(index)
        : index === q.correct_answer;
    };
    return q.options.map((text, index) => ({
      index,
      text,
      count: this.optionCounts[index],
      percent: percent(this.optionCounts[index], this.answered),
      correct: right(index),
    }));
  }

  private sortedValues(): number[] {
    // Sorted when read, and only when values came since the last read.
    if (this.sortedUpTo < this.values.length) {
      this.values.sort((a, b) => a - b);
      this.sortedUpTo = this.values.length;
    }
    return this.values;
  }

  private summary(textAnswers: number): TypeSummaryDto {
    const q = this.question;
    switch (q.type) {
      case 'single':
      case 'true_false':
        return { type: q.type };
      case 'multiple':
        return {
          type: 'multiple',
          exact_matches: this.scored ? this.exact : null,
          exact_percent:
            this.scored && this.answered > 0 ? percent(this.exact, this.answered) : null,
          mean_picked: this.answered > 0 ? round3(this.picked / this.answered) : null,
        };
      case 'rating': {
        const scale = q.scale ?? { min: 0, max: 0, min_label: null, max_label: null };
        const sorted = this.sortedValues();
        return {
          type: 'rating',
          scale: { ...scale },
          distribution: scalePoints(scale).map((value, i) => ({
            value,
            count: this.pointCounts[i] ?? 0,
            percent: percent(this.pointCounts[i] ?? 0, sorted.length),
          })),
          mean: mean(sorted),
          median: quantile(sorted, 0.5),
        };
      }
      case 'numeric': {
        const sorted = this.sortedValues();
        return {
          type: 'numeric',
          unit: q.unit,
          min: sorted.length > 0 ? sorted[0] : null,
          q1: quantile(sorted, 0.25),
          median: quantile(sorted, 0.5),
          q3: quantile(sorted, 0.75),
          max: sorted.length > 0 ? sorted[sorted.length - 1] : null,
          mean: mean(sorted),
          buckets: histogram(sorted),
        };
      }
      case 'text': {
        const groups: TextAnswerCountDto[] = [...this.texts.values()]
          .map((g) => ({ ...g }))
          .sort((a, b) => b.count - a.count || compareText(textKey(a.text), textKey(b.text)));
        return {
          type: 'text',
          words: this.words.top(CLOUD_WORDS),
          answers: groups.slice(0, textAnswers),
          distinct_answers: groups.length,
        };
      }
      case 'ranking': {
        const items: RankingItemDto[] = q.options.map((text, index) => {
          const right = q.correct_order ? q.correct_order.indexOf(index) : -1;
          return {
            index,
            text,
            mean_position: this.ranked > 0 ? round3(this.placeSums[index] / this.ranked) : null,
            correct_position: right >= 0 ? right + 1 : null,
            in_place_percent:
              q.correct_order && this.ranked > 0 ? percent(this.inPlace[index], this.ranked) : null,
          };
        });
        return { type: 'ranking', items };
      }
    }
  }
}
