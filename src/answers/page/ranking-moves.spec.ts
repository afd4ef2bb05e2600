import { applyMove, parseMove, rankingOrder } from './ranking-moves';

describe('ranking moves (no-JavaScript reordering)', () => {
  it('reads a repeated field or a comma list, and falls back to the options order', () => {
    expect(rankingOrder(3, ['2', '0', '1'])).toEqual([2, 0, 1]);
    expect(rankingOrder(3, '1,2,0')).toEqual([1, 2, 0]);
    expect(rankingOrder(3, undefined)).toEqual([0, 1, 2]);
    expect(rankingOrder(3, ['0', '0', '1'])).toEqual([0, 1, 2]);
    expect(rankingOrder(3, ['0', '1'])).toEqual([0, 1, 2]);
    expect(rankingOrder(3, ['0', '1', '3'])).toEqual([0, 1, 2]);
    expect(rankingOrder(3, ['0', '1', 'x'])).toEqual([0, 1, 2]);
    expect(rankingOrder(3, { $gt: '' })).toEqual([0, 1, 2]);
  });

  it('moves one option one place, and not past either end', () => {
    expect(parseMove('up:2')).toEqual({ option: 2, direction: 'up' });
    expect(parseMove('sideways:2')).toBeNull();
    expect(parseMove(['up:1'])).toBeNull();
    expect(applyMove([0, 1, 2], { option: 2, direction: 'up' })).toEqual([0, 2, 1]);
    expect(applyMove([0, 1, 2], { option: 0, direction: 'down' })).toEqual([1, 0, 2]);
    expect(applyMove([0, 1, 2], { option: 0, direction: 'up' })).toEqual([0, 1, 2]);
    expect(applyMove([0, 1, 2], { option: 2, direction: 'down' })).toEqual([0, 1, 2]);
    expect(applyMove([0, 1, 2], { option: 7, direction: 'down' })).toEqual([0, 1, 2]);
  });
});
