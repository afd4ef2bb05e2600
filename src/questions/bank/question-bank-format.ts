import { withTypeDefaults } from '../../question-types/question-types';
import { TYPE_FIELDS } from '../question.types';
import type { QuestionDocument } from '../schemas/question.schema';

/**
 * The question bank's own file format (GET /api/questions/export, POST /api/questions/import):
 * a versioned JSON document whose questions are POST /api/questions bodies, so each one imports
 * through the very check a single create runs (checkQuestionBody). docs/architecture.md §23.
 */
export const BANK_FORMAT = 'zoom-live-questions/questions';
export const BANK_FORMAT_VERSION = 1;

/** A question as exported: a create body (common fields, `type`, that type's fields). */
export type ExportedQuestion = Record<string, unknown>;

export interface BankDocument {
  format: typeof BANK_FORMAT;
  version: typeof BANK_FORMAT_VERSION;
  exported_at: string;
  questions: ExportedQuestion[];
}

/**
 * Everything needed to create the question again, exactly: the common fields, `type`, and the
 * fields a client writes for that type (TYPE_FIELDS, so never true_false's fixed options). A
 * type field at its "none" (null) is left out: omitted, it is created as that same none
 * (toStoredQuestion's defaults), and some (accepted_answers) refuse an explicit null. No id,
 * owner or timestamps: an import creates new questions in the importer's bank.
 */
export function toExportedQuestion(doc: QuestionDocument): ExportedQuestion {
  const body = withTypeDefaults(doc);
  const typeFields = Object.fromEntries(
    TYPE_FIELDS[body.type].flatMap((field) => (body[field] === null ? [] : [[field, body[field]]])),
  );
  return {
    title: doc.title,
    question_text: doc.question_text,
    type: body.type,
    ...typeFields,
    time_limit: doc.time_limit,
    points: doc.points,
    difficulty: doc.difficulty,
    category: doc.category,
    tags: [...doc.tags],
  };
}

export function bankDocument(questions: ExportedQuestion[], now: Date): BankDocument {
  return {
    format: BANK_FORMAT,
    version: BANK_FORMAT_VERSION,
    exported_at: now.toISOString(),
    questions,
  };
}
