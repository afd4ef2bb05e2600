import { createHash, createHmac } from 'node:crypto';
import type { Types } from 'mongoose';

/**
 * A recipient's answer token: HMAC-SHA256 of the delivery id under ANSWER_TOKEN_SECRET (256 bits,
 * unguessable without the secret). It is derived rather than stored so that the sender can rebuild
 * the link after a crash while the database keeps only the token's hash: a leaked database alone
 * does not let anyone answer for a participant.
 */
export function answerToken(secret: string, deliveryId: Types.ObjectId): string {
  return createHmac('sha256', secret)
    .update(`answer:${deliveryId.toHexString()}`)
    .digest('base64url');
}

export function hashAnswerToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function answerUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/q/${token}`;
}

/** A run's personal link (issue 16): one per person for the whole run of a question set. */
export function runUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/r/${token}`;
}
