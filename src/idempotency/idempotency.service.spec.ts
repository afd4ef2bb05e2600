import { BadRequestException } from '@nestjs/common';
import { canonicalJson, IdempotencyService } from './idempotency.service';

describe('canonicalJson', () => {
  it('is the same for the same request whatever the key order', () => {
    expect(canonicalJson({ b: 2, a: { d: [1, { f: 1, e: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 2, f: 1 }] }, b: 2 }),
    );
  });

  it('tells different requests apart', () => {
    expect(canonicalJson({ mode: 'direct' })).not.toBe(canonicalJson({ mode: 'channel' }));
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson(null)).not.toBe(canonicalJson({}));
  });
});

describe('IdempotencyService.validKey', () => {
  it('takes 1 to 255 visible ASCII characters, or no header at all', () => {
    expect(IdempotencyService.validKey(undefined)).toBeUndefined();
    expect(IdempotencyService.validKey('3f9d7c2e-8a41')).toBe('3f9d7c2e-8a41');
    expect(IdempotencyService.validKey('k'.repeat(255))).toHaveLength(255);
  });

  it.each([[''], ['has space'], ['k'.repeat(256)], ['é'], [['a', 'b']]])(
    'refuses %j with a 400 that names the header',
    (key) => {
      expect(() => IdempotencyService.validKey(key)).toThrow(BadRequestException);
      expect(() => IdempotencyService.validKey(key)).toThrow(/Idempotency-Key/);
    },
  );
});
