import {
  QUESTION_LIMITS,
  scalePoints,
  type AnswerValue,
  type QuestionBody,
} from './question-types';

export type ParsedAnswer =
  { ok: true; value: AnswerValue } | { ok: false; field: keyof AnswerValue; reason: string };

const fail = (field: keyof AnswerValue, reason: string): ParsedAnswer => ({
  ok: false,
  field,
  reason,
});

/** A whole number as JSON sends it (2) or a form does ("2"); undefined for anything else. */
function toIndex(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  if (typeof raw === 'string' && /^\s*\d{1,3}\s*$/.test(raw)) return Number(raw.trim());
  return undefined;
}

/**
 * A list as JSON sends it ([0, 2]), as a form sends a repeated field (an array of strings, or one
 * string when only one box was ticked), or comma-separated ("2,0,1"). undefined if not a list.
 */
function toIndexList(raw: unknown): number[] | undefined {
  let items: unknown[];
  if (Array.isArray(raw)) items = raw;
  else if (typeof raw === 'number') items = [raw];
  else if (typeof raw === 'string') items = raw.trim() === '' ? [] : raw.split(',');
  else return undefined;
  if (items.length > QUESTION_LIMITS.options.max) return undefined;
  const out: number[] = [];
  for (const item of items) {
    const index = toIndex(item);
    if (index === undefined) return undefined;
    out.push(index);
  }
  return out;
}

/**
 * A number as JSON sends it, or as a person types it: one optional sign, digits, and a decimal
 * point or comma ("3,5" is 3.5, as most of Europe writes it). No thousands separators, exponents,
 * or spaces inside: "1,000" is read as 1.0, which is why the page asks for plain digits.
 */
function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const m =
    /^\s*([+-]?)(\d{1,15})(?:[.,](\d{1,15}))?\s*$/.exec(raw) ??
    /^\s*([+-]?)()[.,](\d{1,15})\s*$/.exec(raw);
  if (!m) return undefined;
  return Number(`${m[1]}${m[2] || '0'}.${m[3] ?? '0'}`);
}

const indexRule = (q: QuestionBody): string =>
  `the index of one of the ${q.options.length} options (0 to ${q.options.length - 1})`;

/**
 * Reads one answer for question `q` from a request body (JSON or the page's form): exactly the
 * field of the question's type (ANSWER_FIELD); other fields are ignored. Every refusal names the
 * field and says what would have been accepted.
 */
export function parseAnswer(q: QuestionBody, body: Record<string, unknown>): ParsedAnswer {
  switch (q.type) {
    case 'single':
    case 'true_false': {
      const choice = toIndex(body.choice);
      if (choice === undefined || choice >= q.options.length) {
        return fail('choice', `choice must be ${indexRule(q)}`);
      }
      return { ok: true, value: { choice } };
    }
    case 'multiple': {
      const choices = toIndexList(body.choices ?? []);
      if (choices === undefined || choices.some((c) => c >= q.options.length)) {
        return fail('choices', `choices must be a list of option indices, each ${indexRule(q)}`);
      }
      if (new Set(choices).size !== choices.length) {
        return fail('choices', 'choices must not name an option twice');
      }
      if (choices.length === 0) return fail('choices', 'choose at least one option');
      if (q.max_choices !== null && choices.length > q.max_choices) {
        return fail('choices', `choose at most ${q.max_choices} options`);
      }
      return { ok: true, value: { choices: [...choices].sort((a, b) => a - b) } };
    }
    case 'rating': {
      const scale = q.scale ?? { min: 1, max: 5 };
      const value = toNumber(body.value);
      const rule = `value must be a whole number from ${scale.min} to ${scale.max}`;
      if (value === undefined || !Number.isInteger(value)) return fail('value', rule);
      if (!scalePoints({ ...scale, min_label: null, max_label: null }).includes(value)) {
        return fail('value', rule);
      }
      return { ok: true, value: { value } };
    }
    case 'numeric': {
      const value = toNumber(body.value);
      if (value === undefined) {
        return fail('value', 'value must be a number (digits, with a point or comma for decimals)');
      }
      if (Math.abs(value) > QUESTION_LIMITS.numeric.magnitude) {
        return fail(
          'value',
          `value must be between -${QUESTION_LIMITS.numeric.magnitude} and ${QUESTION_LIMITS.numeric.magnitude}`,
        );
      }
      return { ok: true, value: { value: Object.is(value, -0) ? 0 : value } };
    }
    case 'text': {
      const max = q.max_length ?? QUESTION_LIMITS.text.maxLength;
      if (typeof body.text !== 'string') return fail('text', 'text must be the answer, as text');
      // Line breaks and runs of spaces are kept inside the answer; only its ends are trimmed.
      const text = body.text.normalize('NFC').trim();
      if (text.length === 0) return fail('text', 'text must not be empty');
      if ([...text].length > max) return fail('text', `text must be at most ${max} characters`);
      return { ok: true, value: { text } };
    }
    case 'ranking': {
      const order = toIndexList(body.order);
      const n = q.options.length;
      const isPermutation =
        order !== undefined &&
        order.length === n &&
        new Set(order).size === n &&
        order.every((i) => i < n);
      if (!isPermutation) {
        return fail(
          'order',
          `order must list each of the ${n} option indices (0 to ${n - 1}) exactly once, top first`,
        );
      }
      return { ok: true, value: { order } };
    }
  }
}
