// @kez/crypto: everything the server and the client need from cryptography, pure
// TypeScript on @noble/@scure, running unchanged in Node and the browser. Import from
// here only; the files behind it are free to move.

export { CryptoError, type CryptoErrorCode, isCryptoError } from './errors';
export { bytesToHex, concatBytes, equalBytes, hexToBytes, isHex, utf8, utf8Decode } from './encoding';
export { base64urlDecode, base64urlEncode } from './base64url';
export { randomBytes } from './random';
export { nowSeconds } from './time';
export { canonicalBytes, canonicalize } from './jcs';

export {
  deriveIdentity,
  generateSeed,
  type Identity,
  identityWithNostrKey,
  NIP06_PATH,
  normalizePhrase,
  nostrKeyFromPhrase,
  PHRASE_WORDS,
  phraseToSeed,
  SEED_BYTES,
  seedToPhrase,
} from './identity';
export { addrToPublicKey, isValidAddr, isValidPrimary, PRIMARY_PREFIX, primaryToPublicKey, primaryToX25519, publicKeyToPrimary } from './keys';

export {
  type AnySignature,
  type SchnorrSignature,
  type Signature,
  type SignedEnvelope,
  signEd25519,
  signPayload,
  signPayloadSchnorr,
  signSchnorr,
  verifyEd25519,
  verifyEnvelope,
  verifySchnorr,
} from './signing';
export { type AuthCheck, type AuthRow, authString, buildAuth, checkAuth, isFresh, parseAuth, signAuth, verifyAuth } from './auth';

export { AES_GCM_IV_BYTES, AES_GCM_TAG_BYTES, aesGcmOpen, aesGcmSeal } from './aes-gcm';
export { hkdfExpand, hkdfExtract, hkdfSha256 } from './hkdf';
export { x25519PublicKey, x25519SharedSecret } from './x25519';
export {
  HPKE_AEAD_ID,
  HPKE_KDF_ID,
  HPKE_KEM_ID,
  HPKE_MODE_BASE,
  type HpkeContext,
  type HpkeKeyPair,
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

export {
  checkFreshness,
  MESSAGE_ID_MAX_LENGTH,
  MESSAGE_MAX_AGE_SECONDS,
  MESSAGE_MAX_FUTURE_SECONDS,
  type MessageContent,
  newMessageId,
  type OpenedMessage,
} from './message';
export { ENVELOPE_V1_INFO, type EnvelopeV1, openV1, sealV1 } from './envelope-v1';
export {
  encryptV2,
  ENVELOPE_V2_INFO,
  type EnvelopeV2,
  INNER_TYPE_V2,
  type InnerMessageV2,
  type UnsignedInnerV2,
  openV2,
  sealV2,
  signInnerV2,
} from './envelope-v2';
export { openEnvelope } from './envelope';
export { buildRegisterRequest, type RegisterPayload, type RegisterRequest } from './registration';
export {
  DEFAULT_SCRYPT_PARAMS,
  isSeedWrapError,
  type ScryptParams,
  SEED_WRAP_VERSION,
  SeedWrapError,
  type SeedWrapFailure,
  type SeedWrapOptions,
  unwrapSeed,
  type WrappedSeed,
  wrapSeed,
} from './seed-wrap';
export { Xoshiro256StarStar } from './xoshiro256';
export {
  newVisualSecret,
  readVisualFragment,
  type RgbaImage,
  scramblePixels,
  unscramblePixels,
  VISUAL_FRAGMENT_PREFIX,
  VISUAL_KEY_BYTES,
  VISUAL_SALT_BYTES,
  visualPermutation,
  withVisualFragment,
} from './visual-scramble';
export { openExactPicture, openVisualKey, sealExactPicture, VISUAL_KEYS_PADDING, visualKeyId, type VisualKeys, wrapVisualKey } from './visual-keys';
