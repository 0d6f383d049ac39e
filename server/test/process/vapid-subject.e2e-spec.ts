import { startServerProcess } from '../support/server-process';

/** KEZ_CHAT_VAPID_SUBJECT checks at start (README, configuration). */
describe('VAPID subject at start', () => {
  it('warns once, naming the subject and the fix, when push services would refuse it', async () => {
    const server = await startServerProcess({ env: { KEZ_CHAT_SERVER: 'chat.test' } });
    try {
      const warnings = server
        .output()
        .split('\n')
        .filter((line) => line.includes('VAPID subject'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/WARN.*mailto:admin@chat\.test names chat\.test, a reserved name.*403 BadJwtToken.*KEZ_CHAT_VAPID_SUBJECT/);
    } finally {
      await server.stop();
    }
  });

  it('refuses to start in strict mode, in one line naming the setting', async () => {
    const server = await startServerProcess({ env: { KEZ_CHAT_SERVER: 'localhost', KEZ_CHAT_VAPID_STRICT: 'true' }, expectExit: true });
    expect(server.child.exitCode).toBe(2);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kez-chat: invalid configuration: KEZ_CHAT_SERVER: the VAPID subject mailto:admin@localhost names localhost/);
  });

  it('starts without a word in strict mode with a subject on a public domain', async () => {
    const server = await startServerProcess({ env: { KEZ_CHAT_VAPID_SUBJECT: 'mailto:ops@kez.social', KEZ_CHAT_VAPID_STRICT: 'true' } });
    try {
      expect(server.output()).not.toContain('VAPID subject');
    } finally {
      await server.stop();
    }
  });
});
