import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

describe('inbox settings', () => {
  it('default to a 15 s keep-alive, a 1 MiB stream queue, 30 days of retention swept hourly', () => {
    const config = loadConfig({}, []);
    expect(config.streamKeepaliveMs).toBe(15_000);
    expect(config.streamMaxQueueBytes).toBe(1024 * 1024);
    expect(config.retentionMs).toBe(30 * 86_400_000);
    expect(config.retentionSweepMs).toBe(3_600_000);
  });

  it('read environment variables and flags', () => {
    const config = loadConfig({ KEZ_CHAT_STREAM_KEEPALIVE: '250ms', KEZ_CHAT_RETENTION: '12h' }, ['--stream-max-queue', '4mb', '--retention-sweep=5m']);
    expect(config.streamKeepaliveMs).toBe(250);
    expect(config.streamMaxQueueBytes).toBe(4 * 1024 * 1024);
    expect(config.retentionMs).toBe(12 * 3_600_000);
    expect(config.retentionSweepMs).toBe(300_000);
  });

  it.each([
    ['KEZ_CHAT_STREAM_KEEPALIVE', '16s'],
    ['KEZ_CHAT_STREAM_KEEPALIVE', '10ms'],
    ['KEZ_CHAT_STREAM_MAX_QUEUE', '100kb'],
    ['KEZ_CHAT_STREAM_MAX_QUEUE', 'big'],
    ['KEZ_CHAT_RETENTION', '0d'],
    ['KEZ_CHAT_RETENTION_SWEEP', '30d'],
  ])('refuse %s=%j, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value }, [])).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value }, [])).toThrow(new RegExp(`^${name}: `));
  });
});
