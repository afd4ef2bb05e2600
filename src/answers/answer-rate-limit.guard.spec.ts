import type { ExecutionContext } from '@nestjs/common';
import { AnswerRateLimitGuard, PER_LINK_LIMIT } from './answer-rate-limit.guard';

function post(token: string, body: Record<string, unknown>): ExecutionContext {
  const request = { ip: '203.0.113.7', method: 'POST', params: { token }, body };
  return {
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('AnswerRateLimitGuard: the per-link bucket', () => {
  const token = 'a'.repeat(43);

  it('refuses a link hammering one question once its few retries are spent', () => {
    const guard = new AnswerRateLimitGuard();
    for (let i = 0; i < PER_LINK_LIMIT.capacity; i++) {
      expect(guard.canActivate(post(token, { choice: 0 }))).toBe(true);
    }
    expect(() => guard.canActivate(post(token, { choice: 0 }))).toThrow();
  });

  it("gives each question of a run's link its own bucket: a quick quiz is not throttled", () => {
    const guard = new AnswerRateLimitGuard();
    const questions = Array.from({ length: PER_LINK_LIMIT.capacity * 3 }, (_, i) =>
      i.toString(16).padStart(24, '0'),
    );
    for (const id of questions) {
      expect(guard.canActivate(post(token, { question_id: id, choice: 0 }))).toBe(true);
    }
    // The same question in either case is the same bucket.
    const id = 'ABCDEF0123456789ABCDEF01';
    for (let i = 0; i < PER_LINK_LIMIT.capacity; i++) {
      const named = i % 2 === 0 ? id : id.toLowerCase();
      expect(guard.canActivate(post(token, { question_id: named }))).toBe(true);
    }
    expect(() => guard.canActivate(post(token, { question_id: id }))).toThrow();
  });
});
