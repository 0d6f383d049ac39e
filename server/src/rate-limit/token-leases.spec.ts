import { TokenLeases } from './token-leases';

const OPTIONS = { lifetimeMs: 1000, maxTokens: 50 };

describe(TokenLeases.name, () => {
  it('asks for nothing ahead for a key without a recent shared take', () => {
    const leases = new TokenLeases(OPTIONS);
    expect(leases.wanted('k', 0)).toBe(0);
    expect(leases.spend('k', 0)).toBe(false);
  });

  it("asks for the key's recent rate over one lifetime, capped", () => {
    const leases = new TokenLeases(OPTIONS);
    leases.granted('k', 0, 1, 0);
    // One token used in 100 ms: 10 per second, so 10 for a lifetime of 1 s.
    expect(leases.wanted('k', 100)).toBe(10);
    leases.granted('fast', 0, 30, 0);
    expect(leases.wanted('fast', 10)).toBe(50);
  });

  it('spends leased tokens until none is left or the lifetime is over, and says when it runs low', () => {
    const leases = new TokenLeases(OPTIONS);
    leases.granted('k', 0, 1, 4);
    expect(leases.spend('k', 10)).toBe(true);
    expect(leases.low('k')).toBe(false);
    expect(leases.spend('k', 20)).toBe(true);
    expect(leases.low('k')).toBe(true);
    expect(leases.spend('k', 30)).toBe(true);
    expect(leases.spend('k', 1000)).toBe(false);
  });

  it('ends expired leases, answering the unspent tokens to give back', () => {
    const leases = new TokenLeases(OPTIONS);
    leases.granted('spent', 0, 1, 0);
    leases.granted('unspent', 0, 1, 3);
    leases.granted('later', 500, 1, 3);
    expect(leases.expire(999)).toEqual([]);
    expect(leases.expire(1000)).toEqual([{ key: 'unspent', tokens: 3 }]);
    expect(leases.size).toBe(1);
    expect(leases.endAll()).toEqual([{ key: 'later', tokens: 3 }]);
    expect(leases.size).toBe(0);
  });
});
