import { InvalidValue, parseCidrList, parseRate } from './parsers';

describe(parseRate.name, () => {
  it.each([
    ['60/min', { capacity: 60, perSecond: 1 }],
    ['30/hour', { capacity: 30, perSecond: 30 / 3600 }],
    ['2/sec', { capacity: 2, perSecond: 2 }],
    [' 5 / h ', { capacity: 5, perSecond: 5 / 3600 }],
  ])('reads %j as a bucket', (raw, expected) => {
    expect(parseRate(raw)).toEqual(expected);
  });

  it.each(['', '0/min', '60', '60/day', '-1/sec', '1.5/min'])('refuses %j', (raw) => {
    expect(() => parseRate(raw)).toThrow(InvalidValue);
  });
});

describe(parseCidrList.name, () => {
  it('reads an empty value as no ranges', () => {
    expect(parseCidrList('')).toEqual([]);
    expect(parseCidrList(' , ')).toEqual([]);
  });

  it('reads IPv4 and IPv6 ranges and bare addresses', () => {
    expect(parseCidrList('127.0.0.1/32, 10.0.0.0/8,fd00::/8, ::1, 192.0.2.1')).toEqual([
      { network: '127.0.0.1', prefix: 32, family: 'ipv4' },
      { network: '10.0.0.0', prefix: 8, family: 'ipv4' },
      { network: 'fd00::', prefix: 8, family: 'ipv6' },
      { network: '::1', prefix: 128, family: 'ipv6' },
      { network: '192.0.2.1', prefix: 32, family: 'ipv4' },
    ]);
  });

  it.each([
    ['10.0.0.0/33', '"10.0.0.0/33"'],
    ['fd00::/129', '"fd00::/129"'],
    ['127.0.0.1/32, localhost', '"localhost"'],
    ['10.0.0.0/', '"10.0.0.0/"'],
    ['10.0.0.0/8/8', '"10.0.0.0/8/8"'],
    ['10.0.0.0/-1', '"10.0.0.0/-1"'],
    ['fe80::1%eth0/128', '"fe80::1%eth0/128"'],
    ['300.0.0.0/8', '"300.0.0.0/8"'],
  ])('refuses %j naming the bad entry %s in one line', (raw, entry) => {
    let error: unknown;
    try {
      parseCidrList(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidValue);
    expect((error as InvalidValue).message.startsWith(entry)).toBe(true);
    expect((error as InvalidValue).message).not.toContain('\n');
  });
});
