import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { InvalidValue, parseRelayList, parseVapidSubject } from './parsers';

describe('push and nostr settings', () => {
  it('default to a 24 h TTL, 10 subscriptions, https-only endpoints and the public relays', () => {
    const config = loadConfig({}, []);
    expect(config).toMatchObject({
      vapidKeyPath: '',
      vapidSubject: '',
      vapidStrict: false,
      pushAllowInsecure: false,
      pushMaxSubscriptions: 10,
      pushTtlMs: 86_400_000,
      pushTimeoutMs: 10_000,
      nostrRefreshMs: 30_000,
    });
    expect(config.relays).toEqual(['wss://relay.damus.io', 'wss://nos.lol', 'wss://relay.nostr.band']);
  });

  it('read their variables and flags', () => {
    const config = loadConfig(
      {
        KEZ_CHAT_VAPID_KEY_PATH: '/etc/kez/vapid.pem',
        KEZ_CHAT_VAPID_SUBJECT: 'https://chat.example.org/contact',
        KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true',
        KEZ_CHAT_PUSH_MAX_SUBSCRIPTIONS: '3',
        KEZ_CHAT_PUSH_TTL: '1h',
        KEZ_CHAT_RELAYS: '',
      },
      ['--push-timeout', '2s', '--nostr-refresh=1s'],
    );
    expect(config).toMatchObject({
      vapidKeyPath: '/etc/kez/vapid.pem',
      vapidSubject: 'https://chat.example.org/contact',
      pushAllowInsecure: true,
      pushMaxSubscriptions: 3,
      pushTtlMs: 3_600_000,
      pushTimeoutMs: 2_000,
      relays: [],
      nostrRefreshMs: 1_000,
    });
  });

  it.each([
    ['KEZ_CHAT_VAPID_SUBJECT', 'admin@example.org'],
    ['KEZ_CHAT_PUSH_ALLOW_INSECURE', 'maybe'],
    ['KEZ_CHAT_PUSH_MAX_SUBSCRIPTIONS', '0'],
    ['KEZ_CHAT_PUSH_TTL', '1 week'],
    ['KEZ_CHAT_RELAYS', 'https://relay.example'],
  ])('refuse a bad %s in one line naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value }, [])).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value }, [])).toThrow(new RegExp(`^${name}: `));
  });
});

describe('KEZ_CHAT_VAPID_STRICT', () => {
  it('refuses to start with a subject push services reject, naming the setting to fix', () => {
    expect(() => loadConfig({ KEZ_CHAT_VAPID_STRICT: 'true' }, [])).toThrow(/^KEZ_CHAT_SERVER: the VAPID subject mailto:admin@localhost names localhost/);
    expect(() => loadConfig({ KEZ_CHAT_VAPID_SUBJECT: 'https://10.0.0.1/', KEZ_CHAT_SERVER: 'chat.kez.social' }, ['--vapid-strict', 'true'])).toThrow(
      /^KEZ_CHAT_VAPID_SUBJECT: .*IP address/,
    );
  });

  it('accepts a public subject, and any subject when off (a warning at start then)', () => {
    expect(loadConfig({ KEZ_CHAT_VAPID_STRICT: 'true', KEZ_CHAT_SERVER: 'chat.kez.social' }, []).vapidStrict).toBe(true);
    expect(loadConfig({ KEZ_CHAT_VAPID_SUBJECT: 'mailto:me@box.local' }, []).vapidSubject).toBe('mailto:me@box.local');
  });
});

describe(parseRelayList.name, () => {
  it('reads a comma list of ws and wss URLs, dropping blanks and repeats; empty is none', () => {
    expect(parseRelayList(' wss://a.example , ws://127.0.0.1:7000,,wss://a.example')).toEqual(['wss://a.example', 'ws://127.0.0.1:7000']);
    expect(parseRelayList('')).toEqual([]);
  });

  it.each(['relay.damus.io', 'https://relay.example', 'wss://ok.example,nope'])('refuses %j', (raw) => {
    expect(() => parseRelayList(raw)).toThrow(InvalidValue);
  });
});

describe(parseVapidSubject.name, () => {
  it.each(['mailto:admin@chat.example.org', 'https://chat.example.org/contact', ''])('accepts %j', (raw) => {
    expect(parseVapidSubject(raw)).toBe(raw);
  });

  it.each(['admin@example.org', 'http://chat.example.org', 'mailto:nobody', 'mailto:a b@c'])('refuses %j', (raw) => {
    expect(() => parseVapidSubject(raw)).toThrow(InvalidValue);
  });
});
