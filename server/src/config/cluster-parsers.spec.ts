import { parseInstanceId, parseNatsUrls } from './cluster-parsers';
import { InvalidValue } from './parsers';

describe(parseNatsUrls.name, () => {
  it('reads a comma-separated list, adding nats:// to bare host:port', () => {
    expect(parseNatsUrls('')).toEqual([]);
    expect(parseNatsUrls(' nats://a:4222 , b:4223,tls://c:4222')).toEqual(['nats://a:4222', 'nats://b:4223', 'tls://c:4222']);
  });

  it.each(['http://a:4222', 'nats://', 'nats://a b'])('refuses %j', (raw) => {
    expect(() => parseNatsUrls(raw)).toThrow(InvalidValue);
  });
});

describe(parseInstanceId.name, () => {
  it('keeps a given id and makes a random one when empty', () => {
    expect(parseInstanceId(' web-1 ')).toBe('web-1');
    const generated = parseInstanceId('');
    expect(generated).toMatch(/^[0-9a-f]{8}$/);
    expect(parseInstanceId('')).not.toBe(generated);
  });

  it.each(['a.b', 'a b', '*', 'x'.repeat(65)])('refuses %j, which could not be one subject token', (raw) => {
    expect(() => parseInstanceId(raw)).toThrow(InvalidValue);
  });
});
