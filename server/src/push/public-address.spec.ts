import { isPublicAddress } from './public-address';

describe(isPublicAddress.name, () => {
  it.each(['8.8.8.8', '1.1.1.1', '142.250.74.106', '17.253.144.10', '2a00:1450:4001:82b::200a', '2606:4700::6810:84e5', '2001:4860:4860::8888'])(
    'accepts the public address %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback', '127.255.0.1'],
    ['unspecified', '0.0.0.0'],
    ['RFC 1918', '10.0.0.1'],
    ['RFC 1918', '172.16.5.4'],
    ['RFC 1918', '172.31.255.255'],
    ['RFC 1918', '192.168.1.1'],
    ['link-local (cloud metadata)', '169.254.169.254'],
    ['CGNAT', '100.64.0.1'],
    ['CGNAT', '100.127.255.254'],
    ['benchmarking', '198.18.0.1'],
    ['documentation', '192.0.2.10'],
    ['multicast', '224.0.0.1'],
    ['broadcast', '255.255.255.255'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unspecified', '::'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped public', '::ffff:8.8.8.8'],
    ['NAT64', '64:ff9b::a00:1'],
    ['ULA', 'fd12:3456::1'],
    ['ULA', 'fc00::1'],
    ['link-local', 'fe80::1'],
    ['link-local with zone', 'fe80::1%eth0'],
    ['multicast', 'ff02::1'],
    ['Teredo', '2001:0:4136:e378::1'],
    ['6to4', '2002:a00:1::1'],
    ['documentation', '2001:db8::1'],
    ['not an address', 'example.com'],
    ['not an address', ''],
  ])('refuses %s %s', (_kind, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});
