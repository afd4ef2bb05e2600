import {
  BadRequestException,
  ConflictException,
  Injectable,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import type { CsvFormat } from '../../common/csv/csv-format';
import { parseCsv } from '../../common/csv/csv-parse';
import type { QuestionType } from '../../question-types/question-types';
import { checkQuestionBody } from '../dto/check-question-body';
import type { CreateQuestionDto } from '../dto/create-question.dto';
import { QuestionsService, type QuestionFilters } from '../questions.service';
import { bankCsv, bankCsvItems, isBankCsvHeader } from './question-bank-csv';
import {
  BANK_FORMAT,
  BANK_FORMAT_VERSION,
  bankDocument,
  toExportedQuestion,
  type BankDocument,
} from './question-bank-format';
import {
  describeRef,
  positionOf,
  type ImportItem,
  type ImportProblem,
  type ItemRef,
} from './import-items';
import { isZoomPollHeader, zoomPollItems } from './zoom-poll-csv';

/** The most questions one import may hold (a term's bank; more is a 413, split the file). */
export const MAX_IMPORT_QUESTIONS = 1000;

export type OnDuplicate = 'fail' | 'skip';

/** What an import was given: the parsed JSON body, or a CSV file's text. */
export type ImportInput = { json: unknown } | { csv: string; delimiter: CsvFormat['delimiter'] };

export type ImportSource = 'bank_json' | 'json_array' | 'bank_csv' | 'zoom_poll_csv';

export interface ImportResult {
  source: ImportSource;
  created: number;
  ids: string[];
  /** Duplicates left out (on_duplicate=skip): where each is, and its title. */
  skipped: (ItemRef & { title: string; reason: string })[];
}

type Checked = { ref: ItemRef; dto: CreateQuestionDto & { type: QuestionType } };

@Injectable()
export class QuestionBankService {
  constructor(private readonly questions: QuestionsService) {}

  /** The caller's visible questions (the list's ownership and filters), oldest first. */
  async exportJson(
    actor: Actor,
    filters: QuestionFilters,
    now = new Date(),
  ): Promise<BankDocument> {
    const docs = await this.questions.findAllForExport(actor, filters);
    return bankDocument(docs.map(toExportedQuestion), now);
  }

  async exportCsv(actor: Actor, filters: QuestionFilters, format: CsvFormat): Promise<string> {
    const docs = await this.questions.findAllForExport(actor, filters);
    return bankCsv(docs.map(toExportedQuestion), format);
  }

  /**
   * All or nothing: every question is read and checked as POST /api/questions checks it
   * (checkQuestionBody), and every problem of every question is answered at once (400); then
   * duplicates (the same title and question text, after trimming, case-sensitive) within the
   * file or already in the importer's bank are refused (409) or, with on_duplicate=skip, left
   * out and listed; only then is anything stored (QuestionsService.insertAll).
   */
  async import(actor: Actor, input: ImportInput, onDuplicate: OnDuplicate): Promise<ImportResult> {
    const { source, items } = readItems(input);
    if (items.length > MAX_IMPORT_QUESTIONS) {
      throw new PayloadTooLargeException(
        `An import holds at most ${MAX_IMPORT_QUESTIONS} questions; this one has ${items.length}: split it into several files`,
      );
    }
    if (items.length === 0) throw new BadRequestException('The import holds no questions');

    const problems: ImportProblem[] = [];
    const checked: Checked[] = [];
    for (const item of items) {
      const found = await checkItem(item);
      if (found.ok) checked.push({ ref: item.ref, dto: found.dto });
      else problems.push(...found.problems);
    }

    const duplicates = await this.duplicates(actor, checked);
    if (problems.length > 0) {
      const all = (
        onDuplicate === 'fail' ? [...problems, ...duplicates.map(duplicateProblem)] : problems
      ).sort((a, b) => positionOf(a) - positionOf(b));
      throw new BadRequestException({
        message: `Import refused, nothing was imported: ${all.length} problem(s), first ${describeRef(all[0])} ${all[0].field}: ${all[0].reason}`,
        details: all,
      });
    }
    if (duplicates.length > 0 && onDuplicate === 'fail') {
      throw new ConflictException({
        message: `Import refused, nothing was imported: ${duplicates.length} question(s) have the title and text of another (send ?on_duplicate=skip to leave them out)`,
        details: duplicates.map(duplicateProblem),
      });
    }
    const skippedRefs = new Set(duplicates.map((d) => d.item));
    const kept = checked.filter((c) => !skippedRefs.has(c));
    const ids =
      kept.length > 0
        ? await this.questions.insertAll(
            actor,
            kept.map((c) => c.dto),
          )
        : [];
    return {
      source,
      created: ids.length,
      ids: ids.map((id) => id.toHexString()),
      skipped: duplicates.map((d) => ({
        ...d.item.ref,
        title: d.item.dto.title,
        reason: d.reason,
      })),
    };
  }

  /** Questions whose title and text repeat an earlier one of the file or one of the bank. */
  private async duplicates(
    actor: Actor,
    checked: readonly Checked[],
  ): Promise<{ item: Checked; reason: string }[]> {
    const keyOf = (title: string, text: string): string => `${title.trim()}\u0000${text.trim()}`;
    const titles = [...new Set(checked.map((c) => c.dto.title.trim()))];
    const inBank = new Set(
      (await this.questions.findInBankByTitles(actor.instructorId, titles)).map((q) =>
        keyOf(q.title, q.question_text),
      ),
    );
    const seen = new Map<string, ItemRef>();
    const found: { item: Checked; reason: string }[] = [];
    for (const item of checked) {
      const k = keyOf(item.dto.title, item.dto.question_text);
      const earlier = seen.get(k);
      if (inBank.has(k)) {
        found.push({ item, reason: 'a question with this title and text is already in the bank' });
      } else if (earlier) {
        found.push({ item, reason: `same title and text as ${describeRef(earlier)}` });
      } else {
        seen.set(k, item.ref);
      }
    }
    return found;
  }
}

/**
 * One item checked as POST /api/questions checks a body (checkQuestionBody), each reason of each
 * field one problem at the item's place. An item whose reading already failed (a Zoom cell that
 * does not map) is not checked further: its body is not what its author meant.
 */
async function checkItem(
  item: ImportItem,
): Promise<{ ok: true; dto: Checked['dto'] } | { ok: false; problems: ImportProblem[] }> {
  if (item.problems.length > 0) return { ok: false, problems: item.problems };
  const body = item.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      problems: [{ ...item.ref, field: '', reason: 'a question must be a JSON object' }],
    };
  }
  const result = await checkQuestionBody(body as Record<string, unknown>);
  if (result.ok) return { ok: true, dto: result.dto };
  return {
    ok: false,
    problems: result.details.flatMap((detail) =>
      detail.errors.map((reason) => ({ ...item.ref, field: detail.field, reason })),
    ),
  };
}

function duplicateProblem(d: { item: Checked; reason: string }): ImportProblem {
  return { ...d.item.ref, field: 'title', reason: `duplicate: ${d.reason}` };
}

/** The import's items, from whichever of the accepted shapes it is; a bad shape is a 400. */
function readItems(input: ImportInput): { source: ImportSource; items: ImportItem[] } {
  if ('json' in input) {
    const json = input.json;
    const fromArray = (array: unknown[]): ImportItem[] =>
      array.map((body, index) => ({ ref: { index }, body, problems: [] }));
    if (Array.isArray(json)) return { source: 'json_array', items: fromArray(json) };
    if (
      typeof json === 'object' &&
      json !== null &&
      (json as BankDocument).format === BANK_FORMAT
    ) {
      const document = json as Partial<BankDocument>;
      if (document.version !== BANK_FORMAT_VERSION) {
        throw new BadRequestException(
          `Unsupported ${BANK_FORMAT} version ${String(document.version)}: this service reads version ${BANK_FORMAT_VERSION}`,
        );
      }
      if (!Array.isArray(document.questions)) {
        throw new BadRequestException('questions must be an array of questions');
      }
      return { source: 'bank_json', items: fromArray(document.questions) };
    }
    throw new BadRequestException(
      `The body must be a "${BANK_FORMAT}" document (as GET /api/questions/export answers) or an array of questions as POST /api/questions takes them`,
    );
  }

  const parsed = parseCsv(input.csv, input.delimiter);
  if (!parsed.ok) {
    throw new BadRequestException({
      message: `Malformed CSV on line ${parsed.line}: ${parsed.reason}; nothing was imported`,
      details: [{ line: parsed.line, field: '', reason: parsed.reason }],
    });
  }
  const [head] = parsed.records;
  if (!head) throw new BadRequestException('The CSV file is empty');
  if (isBankCsvHeader(head.fields)) {
    const read = bankCsvItems(parsed.records, input.delimiter);
    if (!read.ok) {
      throw new BadRequestException({
        message: `The CSV header is not this service's question layout: ${read.problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`,
        details: read.problems,
      });
    }
    return { source: 'bank_csv', items: read.items };
  }
  if (isZoomPollHeader(head.fields))
    return { source: 'zoom_poll_csv', items: zoomPollItems(parsed.records) };
  throw new BadRequestException(
    "The CSV header is neither this service's question layout (title, question_text, …) nor Zoom's poll layout (Question, Answer 1, …)" +
      (input.delimiter === ',' && head.fields.length === 1 && head.fields[0].includes(';')
        ? '; it looks separated by semicolons: send ?delimiter=semicolon'
        : ''),
  );
}
