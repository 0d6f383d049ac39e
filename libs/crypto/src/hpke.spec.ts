import { readVector } from '../test-vectors/load';
import { bytesToHex, hexToBytes } from './encoding';
import {
  hpkeComputeNonce,
  hpkeDecap,
  hpkeDeriveKeyPair,
  hpkeEncap,
  hpkeExport,
  hpkeKeySchedule,
  hpkeOpen,
  hpkeSeal,
  hpkeSetupBaseR,
  hpkeSetupBaseS,
} from './hpke';
import { x25519PublicKey } from './x25519';

interface A1Base {
  kem_id: number;
  kdf_id: number;
  aead_id: number;
  mode: number;
  info: string;
  ikmE: string;
  pkEm: string;
  skEm: string;
  ikmR: string;
  pkRm: string;
  skRm: string;
  enc: string;
  pt: string;
  aad: string;
  ct: string;
}

interface A1Schedule {
  shared_secret: string;
  key: string;
  base_nonce: string;
  exporter_secret: string;
  encryptions: { seq: number; aad: string; nonce: string; ct: string }[];
  exports: { exporter_context: string; L: number; exported_value: string }[];
}

const a1 = readVector<A1Base>('standard/rfc9180-a1-base.json');
const schedule = readVector<A1Schedule>('standard/rfc9180-a1-base.schedule.json');
const hex = hexToBytes;

describe(hpkeSetupBaseS.name, () => {
  it('is the suite of RFC 9180 A.1 (X25519, HKDF-SHA256, AES-128-GCM, base mode)', () => {
    expect([a1.kem_id, a1.kdf_id, a1.aead_id, a1.mode]).toEqual([0x20, 0x01, 0x01, 0x00]);
  });

  it('derives the A.1.1 key pairs from ikmE and ikmR (DeriveKeyPair)', () => {
    const ephemeral = hpkeDeriveKeyPair(hex(a1.ikmE));
    expect(bytesToHex(ephemeral.secretKey)).toBe(a1.skEm);
    expect(bytesToHex(ephemeral.publicKey)).toBe(a1.pkEm);
    const recipient = hpkeDeriveKeyPair(hex(a1.ikmR));
    expect(bytesToHex(recipient.secretKey)).toBe(a1.skRm);
    expect(bytesToHex(recipient.publicKey)).toBe(a1.pkRm);
    expect(bytesToHex(x25519PublicKey(hex(a1.skRm)))).toBe(a1.pkRm);
  });

  it('with the fixed ephemeral key gives the A.1.1 enc, shared secret and key schedule', () => {
    const { enc, sharedSecret, context } = hpkeSetupBaseS(hex(a1.pkRm), hex(a1.info), hex(a1.skEm));
    expect(bytesToHex(enc)).toBe(a1.enc);
    expect(bytesToHex(sharedSecret)).toBe(schedule.shared_secret);
    expect(bytesToHex(context.key)).toBe(schedule.key);
    expect(bytesToHex(context.baseNonce)).toBe(schedule.base_nonce);
    expect(bytesToHex(context.exporterSecret)).toBe(schedule.exporter_secret);
  });

  it('seals the A.1.1 ciphertexts for sequence numbers 0 and 1', () => {
    const { context } = hpkeSetupBaseS(hex(a1.pkRm), hex(a1.info), hex(a1.skEm));
    expect(bytesToHex(hpkeSeal(context, 0, hex(a1.aad), hex(a1.pt)))).toBe(a1.ct);
    for (const encryption of schedule.encryptions) {
      expect(bytesToHex(hpkeComputeNonce(context.baseNonce, encryption.seq))).toBe(encryption.nonce);
      expect(bytesToHex(hpkeSeal(context, encryption.seq, hex(encryption.aad), hex(a1.pt)))).toBe(encryption.ct);
    }
  });

  it('exports the A.1.1 exported values', () => {
    const { context } = hpkeSetupBaseS(hex(a1.pkRm), hex(a1.info), hex(a1.skEm));
    for (const item of schedule.exports) {
      expect(bytesToHex(hpkeExport(context, hex(item.exporter_context), item.L))).toBe(item.exported_value);
    }
  });

  it('uses a fresh ephemeral key when none is given', () => {
    const first = hpkeEncap(hex(a1.pkRm));
    const second = hpkeEncap(hex(a1.pkRm));
    expect(bytesToHex(first.enc)).not.toBe(bytesToHex(second.enc));
    expect(bytesToHex(hpkeDecap(first.enc, hex(a1.skRm)))).toBe(bytesToHex(first.sharedSecret));
  });

  it('refuses a low-order recipient key', () => {
    for (const lowOrder of ['00'.repeat(32), '01' + '00'.repeat(31), 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800']) {
      expect(() => hpkeSetupBaseS(hex(lowOrder), hex(a1.info))).toThrow(expect.objectContaining({ code: 'low_order_key' }));
    }
  });
});

describe(hpkeSetupBaseR.name, () => {
  it('recovers the A.1.1 context from enc and skRm and opens the ciphertexts', () => {
    const context = hpkeSetupBaseR(hex(a1.enc), hex(a1.skRm), hex(a1.info));
    expect(bytesToHex(context.key)).toBe(schedule.key);
    expect(bytesToHex(hpkeOpen(context, 0, hex(a1.aad), hex(a1.ct)))).toBe(a1.pt);
    expect(bytesToHex(hpkeOpen(context, 1, hex(schedule.encryptions[1]!.aad), hex(schedule.encryptions[1]!.ct)))).toBe(a1.pt);
  });

  it('fails to open with the wrong sequence number, AAD or info', () => {
    const context = hpkeSetupBaseR(hex(a1.enc), hex(a1.skRm), hex(a1.info));
    expect(() => hpkeOpen(context, 1, hex(a1.aad), hex(a1.ct))).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
    expect(() => hpkeOpen(context, 0, hex('00'), hex(a1.ct))).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
    const otherInfo = hpkeSetupBaseR(hex(a1.enc), hex(a1.skRm), hex('00'));
    expect(() => hpkeOpen(otherInfo, 0, hex(a1.aad), hex(a1.ct))).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
  });

  it('refuses a low-order or wrong-length enc', () => {
    expect(() => hpkeSetupBaseR(new Uint8Array(32), hex(a1.skRm), hex(a1.info))).toThrow(expect.objectContaining({ code: 'low_order_key' }));
    expect(() => hpkeSetupBaseR(new Uint8Array(31), hex(a1.skRm), hex(a1.info))).toThrow(expect.objectContaining({ code: 'malformed' }));
  });
});

describe(hpkeKeySchedule.name, () => {
  it('is what SetupBaseS runs on the shared secret', () => {
    const context = hpkeKeySchedule(hex(schedule.shared_secret), hex(a1.info));
    expect(bytesToHex(context.key)).toBe(schedule.key);
    expect(bytesToHex(context.baseNonce)).toBe(schedule.base_nonce);
  });
});
