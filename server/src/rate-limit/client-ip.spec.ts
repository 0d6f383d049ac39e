import { parseCidrList } from '../config/parsers';
import { ClientIpResolver, UNKNOWN_CLIENT } from './client-ip';

const trusting = (cidrs: string) => new ClientIpResolver(parseCidrList(cidrs));

describe(ClientIpResolver.name, () => {
  describe('trusting nobody (the default)', () => {
    const resolver = trusting('');

    it('uses the socket peer', () => {
      expect(resolver.resolve('198.51.100.9', undefined)).toBe('198.51.100.9');
    });

    it('ignores X-Forwarded-For entirely, so spoofing it changes nothing', () => {
      expect(resolver.resolve('198.51.100.9', '1.1.1.1')).toBe('198.51.100.9');
      expect(resolver.resolve('198.51.100.9', '1.1.1.1, 2.2.2.2')).toBe('198.51.100.9');
      expect(resolver.resolve('127.0.0.1', '1.1.1.1')).toBe('127.0.0.1');
    });

    it('normalises an IPv4-mapped peer', () => {
      expect(resolver.resolve('::ffff:198.51.100.9', undefined)).toBe('198.51.100.9');
    });

    it('names a peer without an address', () => {
      expect(resolver.resolve(undefined, '1.1.1.1')).toBe(UNKNOWN_CLIENT);
    });
  });

  describe('behind one trusted proxy', () => {
    const resolver = trusting('127.0.0.1/32');

    it('takes the address the proxy appended', () => {
      expect(resolver.resolve('127.0.0.1', '203.0.113.5')).toBe('203.0.113.5');
    });

    it('ignores what the client wrote to the left of it', () => {
      expect(resolver.resolve('127.0.0.1', '6.6.6.6, 7.7.7.7, 203.0.113.5')).toBe('203.0.113.5');
      expect(resolver.resolve('127.0.0.1', ['6.6.6.6', '203.0.113.5'])).toBe('203.0.113.5');
    });

    it('ignores X-Forwarded-For from a peer that is not the proxy', () => {
      expect(resolver.resolve('198.51.100.9', '203.0.113.5')).toBe('198.51.100.9');
    });

    it('recognises the proxy through an IPv4-mapped peer address', () => {
      expect(resolver.resolve('::ffff:127.0.0.1', '203.0.113.5')).toBe('203.0.113.5');
    });

    it('falls back to the proxy when the header is missing or its last entry is not an address', () => {
      expect(resolver.resolve('127.0.0.1', undefined)).toBe('127.0.0.1');
      expect(resolver.resolve('127.0.0.1', '203.0.113.5, nonsense')).toBe('127.0.0.1');
    });
  });

  describe('behind a chain of trusted proxies', () => {
    const resolver = trusting('10.0.0.0/8, fd00::/8');

    it('walks from the right past every trusted hop', () => {
      expect(resolver.resolve('10.0.0.2', '6.6.6.6, 203.0.113.5, 10.1.1.1, fd00::7')).toBe('203.0.113.5');
    });

    it('stops at the first untrusted hop even if trusted ones lie further left', () => {
      expect(resolver.resolve('10.0.0.2', '10.9.9.9, 203.0.113.5, 10.1.1.1')).toBe('203.0.113.5');
    });

    it('answers the left-most hop when every hop is trusted', () => {
      expect(resolver.resolve('10.0.0.2', '10.3.3.3, 10.1.1.1')).toBe('10.3.3.3');
    });

    it('handles IPv6 peers and clients', () => {
      expect(resolver.resolve('fd00::1', '2001:db8::5')).toBe('2001:db8::5');
      expect(resolver.resolve('fd00::1', '[2001:DB8::5]:4711')).toBe('2001:db8::5');
      expect(resolver.resolve('2001:db8::9', '203.0.113.5')).toBe('2001:db8::9');
    });

    it('reads an IPv4-mapped forwarded address as IPv4', () => {
      expect(resolver.resolve('10.0.0.2', '::ffff:203.0.113.5')).toBe('203.0.113.5');
      expect(resolver.resolve('10.0.0.2', '::ffff:203.0.113.5, ::ffff:10.1.1.1')).toBe('203.0.113.5');
    });
  });
});
