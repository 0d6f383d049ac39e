import { MIN_STRENGTH_SCORE, rateStrength } from './passphrase-strength';

describe('rateStrength', () => {
  it.each(['password', '12345678', 'qwertyuiop', 'aaaaaaaa', 'Passw0rd!', 'iloveyou2'])('refuses %p and says why', async (weak) => {
    const strength = await rateStrength(weak);
    expect(strength.acceptable).toBe(false);
    expect(strength.score).toBeLessThan(MIN_STRENGTH_SCORE);
    expect(strength.problem).toMatch(/^Too easy to guess\. .+\. .+/);
  });

  it.each(['river otter 42', 'correct horse battery staple', 'alice likes otters 7'])('accepts %p', async (strong) => {
    expect(await rateStrength(strong)).toMatchObject({ acceptable: true, problem: null, label: expect.stringMatching(/Good|Strong/) });
  });

  it('counts the person’s own handle as easy to guess', async () => {
    const alone = await rateStrength('zanzibarquux');
    const withHandle = await rateStrength('zanzibarquux', ['zanzibarquux']);
    expect(withHandle.score).toBeLessThan(alone.score);
    expect(withHandle.acceptable).toBe(false);
  });

  it('rejects while the estimator cannot be downloaded, and loads it on a later call', async () => {
    await jest.isolateModulesAsync(async () => {
      jest.doMock('@zxcvbn-ts/language-en', () => {
        throw new Error('the server cannot be reached');
      });
      const isolated = await import('./passphrase-strength');
      await expect(isolated.rateStrength('river otter 42')).rejects.toThrow('cannot be reached');
      jest.dontMock('@zxcvbn-ts/language-en');
      await expect(isolated.rateStrength('river otter 42')).resolves.toMatchObject({ acceptable: true });
    });
  });
});
