import { BadRequestException } from '@nestjs/common';
import { canonicalJson, IdempotencyService, withoutMentions } from './idempotency.service';

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

describe('withoutMentions', () => {
  const isAda = (v: string) => ['ada@example.com', 'zoom-ada'].includes(v.toLowerCase());

  it('drops the list items that name the person and keeps everything else', () => {
    const kept = {
      success: true,
      total_participants: 2,
      results: [
        { user_id: 'zoom-ada', name: 'Ada', email: 'Ada@Example.com', status: 'sent' },
        { user_id: 'zoom-bob', name: 'Bob', email: 'bob@example.com', status: 'sent' },
      ],
    };
    expect(withoutMentions(kept, isAda)).toEqual({
      success: true,
      total_participants: 2,
      results: [{ user_id: 'zoom-bob', name: 'Bob', email: 'bob@example.com', status: 'sent' }],
    });
  });

  it('erases every string of an object outside a list that names the person', () => {
    expect(
      withoutMentions({ who: { email: 'ada@example.com', name: 'Ada', n: 1 } }, isAda),
    ).toEqual({
      who: { email: '[erased]', name: '[erased]', n: 1 },
    });
    expect(withoutMentions('zoom-ada', isAda)).toBe('[erased]');
  });
});
