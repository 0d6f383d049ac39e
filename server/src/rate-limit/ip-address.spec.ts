import { clientKey, normalizeIp } from './ip-address';

describe(normalizeIp.name, () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    [' 1.2.3.4 ', '1.2.3.4'],
    ['1.2.3.4:5678', '1.2.3.4'],
    ['::1', '::1'],
    ['[::1]:443', '::1'],
    ['[2001:DB8::1]', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:7f00:1', '127.0.0.1'],
    ['0:0:0:0:0:ffff:0a00:0001', '10.0.0.1'],
    ['[::ffff:192.168.0.1]:80', '192.168.0.1'],
  ])('reads %j as %j', (raw, expected) => {
    expect(normalizeIp(raw)).toBe(expected);
  });

  it.each(['', 'unknown', '1.2.3', '01.2.3.4', '1.2.3.4.5', '::g', '2001:db8::1:80x', 'example.com'])('refuses %j', (raw) => {
    expect(normalizeIp(raw)).toBeUndefined();
  });

  it('leaves other IPv6 addresses near the mapped range alone', () => {
    expect(normalizeIp('::fffe:1.2.3.4')).toBe('::fffe:1.2.3.4');
    expect(normalizeIp('64:ff9b::1.2.3.4')).toBe('64:ff9b::1.2.3.4');
  });
});

describe(clientKey.name, () => {
  it('keys IPv4 clients by address', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
  });

  it('keys IPv6 clients by their /64, however the address is written', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});
