/**
 * The largest request body the service reads, in bytes: Fastify's parser (app.setup.ts) and the
 * webhook's raw-body reader (webhook-signature.hook.ts) both enforce it. Zoom webhooks and answer
 * submissions are small JSON documents; anything larger is a mistake or an attack.
 */
export const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * The largest CSV upload (a roster, a question bank import; issue 18), in bytes: a term's roster
 * of a few thousand students or a bank of a few thousand questions fits with room to spare.
 */
export const CSV_BODY_LIMIT_BYTES = 2 * 1024 * 1024;
