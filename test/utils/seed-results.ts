/**
 * Writes a sent question broadcast, its deliveries and its answers straight to the database, in
 * the stored shape the answer path writes (src/answers/answer.types.ts: the answer's value flat,
 * `credit`, `lang`, `anonymous`; an anonymous answer keyed `anon:` + random hex with no name,
 * email, delivery or latency, and its delivery marked `answered`). For tests of what results,
 * CSV, the stream and the console make of each question type, independent of the answer page.
 */
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { Connection, Model, Types } from 'mongoose';
import { questionSnapshot, type QuestionSnapshot } from '../../src/broadcasts/broadcast.types';
import { Broadcast } from '../../src/broadcasts/schemas/broadcast.schema';
import { Delivery } from '../../src/broadcasts/schemas/delivery.schema';
import type { QuestionBody } from '../../src/question-types/question-types';
import type { TestApp } from './test-app';

/** One stored answer's value and outcome (identity fields are filled in by `seedAnswered`). */
export interface GivenAnswer {
  who?: string;
  choice?: number;
  choices?: number[];
  value?: number;
  text?: string;
  order?: number[];
  correct: boolean | null;
  credit: number | null;
  score: number;
  lang?: string;
}

export interface SeedOptions {
  anonymous?: boolean;
  /** Recipients in all (at least one per answer). */
  people?: number;
  meetingId?: string;
  revealed?: boolean;
}

export const questionOf = (
  body: Partial<QuestionBody> & { title?: string; question_text?: string },
): QuestionSnapshot =>
  questionSnapshot({ title: 'Q', question_text: 'Which?', time_limit: 600, points: 100, ...body });

let meetingSeq = 94_000_000 + Math.floor(Math.random() * 1_000_000);

/**
 * A broadcast of `question` to people p0..p(n-1), with `given` answers (answer i from person i,
 * unless anonymous). Returns the broadcast id and meeting number.
 */
export async function seedAnswered(
  t: TestApp,
  question: QuestionSnapshot,
  given: GivenAnswer[],
  options: SeedOptions = {},
): Promise<{ id: string; meetingId: string }> {
  const connection = t.app.get<Connection>(getConnectionToken());
  const broadcasts = t.app.get<Model<Broadcast>>(getModelToken(Broadcast.name));
  const deliveries = t.app.get<Model<Delivery>>(getModelToken(Delivery.name));
  const meetingId = options.meetingId ?? String(meetingSeq++);
  const anonymous = options.anonymous === true;
  const sentAt = new Date(Date.now() - 10_000);
  const broadcast = await broadcasts.create({
    meeting_id: meetingId,
    kind: 'question',
    question,
    anonymous,
    mode: 'direct',
    channel_id: null,
    opens_at: sentAt,
    ...(options.revealed ? { closed_at: new Date(), revealed_at: new Date() } : {}),
  });
  const people = Math.max(options.people ?? 0, given.length);
  const ids = Array.from({ length: people }, () => new Types.ObjectId());
  await deliveries.insertMany(
    ids.map((id, i) => ({
      _id: id,
      broadcast_id: broadcast._id,
      recipient_key: given[i]?.who ?? `p${i}`,
      name: `Person ${i}`,
      email: `p${i}@example.com`,
      status: 'sent',
      available_at: sentAt,
      sent_at: sentAt,
      closes_at: new Date(sentAt.getTime() + 600_000),
      answer_token_hash: randomBytes(32).toString('hex'),
    })),
  );
  if (anonymous) {
    // Only THAT they answered, on the delivery; the answer holds nothing that leads back.
    await connection
      .collection('deliveries')
      .updateMany({ _id: { $in: ids.slice(0, given.length) } }, { $set: { answered: true } });
  }
  if (given.length > 0) {
    await connection.collection('answers').insertMany(
      given.map((g, i) => {
        const { who, ...value } = g;
        return {
          broadcast_id: broadcast._id,
          meeting_id: meetingId,
          recipient_key: anonymous ? `anon:${randomBytes(16).toString('hex')}` : (who ?? `p${i}`),
          self_reported: false,
          name: anonymous ? '' : `Person ${i}`,
          email: anonymous ? null : `p${i}@example.com`,
          delivery_id: anonymous ? null : ids[i],
          ...value,
          lang: value.lang ?? 'en',
          anonymous,
          answered_at: new Date(sentAt.getTime() + 1000 * (i + 1)),
          latency_ms: anonymous ? null : 1000 * (i + 1),
        };
      }),
    );
  }
  return { id: broadcast._id.toHexString(), meetingId };
}
