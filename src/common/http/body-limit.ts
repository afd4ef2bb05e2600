/**
 * The largest request body the service reads, in bytes: Fastify's parser (app.setup.ts) and the
 * webhook's raw-body reader (webhook-signature.hook.ts) both enforce it. Zoom webhooks and answer
 * submissions are small JSON documents; anything larger is a mistake or an attack.
 */
export const BODY_LIMIT_BYTES = 100 * 1024;
