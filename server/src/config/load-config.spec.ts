import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

describe(loadConfig.name, () => {
  it('uses embedded defaults with no settings', () => {
    const config = loadConfig({}, []);
    expect(config.bind).toEqual({ host: '127.0.0.1', port: 6969 });
    expect(config.server).toBe('localhost');
    expect(config.db).toEqual({ kind: 'sqlite', path: 'data/kez-chat.db' });
    expect(config.logLevel).toBe('log');
    expect(config.logFormat).toBe('text');
    expect(config.rateMessages).toEqual({ capacity: 60, perSecond: 1 });
    expect(config.rateRegister).toEqual({ capacity: 30, perSecond: 30 / 3600 });
    expect(config.trustProxy).toEqual([]);
  });

  it('reads environment variables and lets flags win', () => {
    const config = loadConfig({ KEZ_CHAT_BIND: '0.0.0.0:8080', KEZ_CHAT_SERVER: 'Chat.Example.org', KEZ_CHAT_DB: 'postgres://u@h/db' }, [
      '--bind',
      '[::1]:9000',
      '--log-level=debug',
      '--log-format',
      'JSON',
    ]);
    expect(config.bind).toEqual({ host: '::1', port: 9000 });
    expect(config.server).toBe('chat.example.org');
    expect(config.db).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
    expect(config.logLevel).toBe('debug');
    expect(config.logFormat).toBe('json');
  });

  it.each([
    [{ KEZ_CHAT_BIND: 'nonsense' }, [], 'KEZ_CHAT_BIND'],
    [{ KEZ_CHAT_BIND: '1.2.3.4:70000' }, [], 'KEZ_CHAT_BIND'],
    [{ KEZ_CHAT_SERVER: 'bad name!' }, [], 'KEZ_CHAT_SERVER'],
    [{ KEZ_CHAT_DB: 'mysql://x' }, [], 'KEZ_CHAT_DB'],
    [{ LOG_LEVEL: 'loud' }, [], 'LOG_LEVEL'],
    [{ LOG_FORMAT: 'yaml' }, [], 'LOG_FORMAT'],
    [{ KEZ_CHAT_RATE_MESSAGES: '60 per minute' }, [], 'KEZ_CHAT_RATE_MESSAGES'],
    [{ KEZ_CHAT_TRUST_PROXY: '127.0.0.1/32, proxy.local' }, [], 'KEZ_CHAT_TRUST_PROXY'],
    [{}, ['--bind', 'x'], '--bind'],
    [{}, ['--nope', '1'], '--nope'],
    [{}, ['--server'], '--server'],
  ])('refuses %j %j naming %s in one line', (env, argv, name) => {
    let error: unknown;
    try {
      loadConfig(env, argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message.startsWith(name)).toBe(true);
    expect((error as ConfigError).message).not.toContain('\n');
  });
});
