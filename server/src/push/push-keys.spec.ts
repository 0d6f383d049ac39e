import { createECDH, randomBytes } from 'node:crypto';

import { pushKeysProblem } from './push-keys';

function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

describe(pushKeysProblem.name, () => {
  it('accepts keys as a browser gives them, with or without padding', () => {
    const keys = browserKeys();
    expect(pushKeysProblem(keys)).toBeUndefined();
    expect(pushKeysProblem({ p256dh: `${keys.p256dh}=`, auth: `${keys.auth}==` })).toBeUndefined();
  });

  it('refuses a p256dh that is not an uncompressed point on P-256', () => {
    const keys = browserKeys();
    const point = Buffer.from(keys.p256dh, 'base64url');
    const offCurve = Buffer.from(point);
    offCurve[64] ^= 1;
    const compressed = createECDH('prime256v1');
    compressed.generateKeys();
    for (const p256dh of [
      offCurve.toString('base64url'),
      compressed.getPublicKey('base64url', 'compressed'),
      'not+base64/',
      point.subarray(1).toString('base64url'),
    ]) {
      expect(pushKeysProblem({ ...keys, p256dh })).toMatch(/p256dh/);
    }
  });

  it('refuses an auth secret that is not 16 bytes', () => {
    const keys = browserKeys();
    expect(pushKeysProblem({ ...keys, auth: randomBytes(15).toString('base64url') })).toMatch(/auth/);
    expect(pushKeysProblem({ ...keys, auth: '!!!!' })).toMatch(/auth/);
  });
});
