import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { TooManyAnswersException } from './answer-errors';
import { TokenBucketLimiter } from './token-bucket';

/**
 * Per IP: a flood guard, deliberately generous. A whole class behind one school NAT answers from
 * one address: 1,000 people opening the page and answering within seconds must pass.
 */
export const PER_IP_LIMIT = { capacity: 3000, refillPerSecond: 300, maxKeys: 50_000 };
/**
 * Per link and question (and, for a channel's shared link, per email typed): one person submits
 * once to a question; a few retries (double clicks, a flaky phone network) are fine, a script
 * hammering a link is not. A run's link answers every question of the run (`question_id` in the
 * body), so each question has its own bucket: a quick self-paced quiz is not throttled after
 * five answers.
 */
export const PER_LINK_LIMIT = { capacity: 5, refillPerSecond: 0.5, maxKeys: 100_000 };

/**
 * Rate limits for the public answer routes (docs/architecture.md §10). In memory, per instance.
 * The IP is Fastify's `request.ip`: the socket peer, or behind a reverse proxy named in
 * TRUST_PROXY the client address it forwards (without it, everyone behind the proxy would share
 * the proxy's address and one limit). Accepted answers per link per address are bounded
 * separately, by AnswersService (ANSWERS_PER_LINK_PER_ADDRESS).
 */
@Injectable()
export class AnswerRateLimitGuard implements CanActivate {
  private readonly perIp = new TokenBucketLimiter(PER_IP_LIMIT);
  private readonly perLink = new TokenBucketLimiter(PER_LINK_LIMIT);

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const byIp = this.perIp.take(`ip:${request.ip}`);
    if (!byIp.allowed) throw new TooManyAnswersException(byIp.retryAfterSeconds);
    if (request.method !== 'POST') return true;

    const { token } = request.params as { token?: unknown };
    const body = request.body as { email?: unknown; question_id?: unknown } | null | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    const question =
      typeof body?.question_id === 'string' ? body.question_id.trim().toLowerCase() : '';
    // Keyed by a digest: the limiter's memory should not hold live credentials.
    const key = createHash('sha256')
      .update(`${String(token)}\n${email}\n${question}`)
      .digest('base64url');
    const byLink = this.perLink.take(key);
    if (!byLink.allowed) throw new TooManyAnswersException(byLink.retryAfterSeconds);
    return true;
  }
}
