// NIP-44 v2 as first published caps a plaintext at 65,535 bytes (a 2-byte length
// prefix). nostr-tools also writes a later extension (a 6-byte prefix, up to 4 GiB)
// that apps on the original rule cannot open, and some refuse. Everything this project
// sends must open everywhere, so it checks the payloads it makes against the original
// cap.

/** The largest plaintext of the original NIP-44 v2. */
export const NIP44_MAX_PLAINTEXT_BYTES = 65_535;

/** version (1) + nonce (32) + longest padded plaintext with its 2-byte prefix (2 + 65,536) + MAC (32). */
const MAX_CLASSIC_PAYLOAD_BYTES = 1 + 32 + 2 + 65_536 + 32;

/**
 * True when `payload` (NIP-44 v2 base64, e.g. a seal's or gift wrap's `content`) is
 * no longer than a payload of the original NIP-44 v2 can be, so the extended length
 * prefix cannot be in it.
 */
export function isClassicNip44Payload(payload: string): boolean {
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  const bytes = Math.floor((payload.length * 3) / 4) - padding;
  return bytes <= MAX_CLASSIC_PAYLOAD_BYTES;
}
