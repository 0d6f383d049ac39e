import { utf8 } from './encoding';
import { CryptoError } from './errors';

// RFC 8785 JSON Canonicalization Scheme. Everything this project signs as JSON is
// signed over these bytes, so two implementations that agree on JCS agree on what was
// signed, whatever whitespace or key order travelled on the wire.
//
// JCS is defined over I-JSON (RFC 7493), so values JSON cannot represent faithfully
// are refused instead of being dropped or replaced the way JSON.stringify does:
// undefined, functions, symbols, bigints, NaN/Infinity, lone surrogates, and objects
// that are not plain data (Date, Map, typed arrays, class instances).

/** Deeper nesting than any protocol object needs; it also stops cycles. */
const MAX_DEPTH = 100;

// With the `u` flag a surrogate range only matches a surrogate that is not half of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function canonicalize(value: unknown): string {
  return serialize(value, 0);
}

/** UTF-8 bytes of the canonical form: what signatures cover. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalize(value));
}

function serialize(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) {
    throw new CryptoError('invalid_json', 'nested too deeply (or cyclic)');
  }
  if (value === null || typeof value === 'boolean') {
    return String(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new CryptoError('invalid_json', 'non-finite number');
    }
    // ECMAScript Number::toString is the serialization RFC 8785 section 3.2.2.3
    // prescribes; JSON.stringify uses it and also writes -0 as 0.
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    return serializeString(value);
  }
  if (Array.isArray(value)) {
    const items: string[] = [];
    // An index loop, not map(): map() skips holes, which must be refused like undefined.
    for (let i = 0; i < value.length; i++) {
      items.push(serialize(value[i], depth + 1));
    }
    return `[${items.join(',')}]`;
  }
  if (isPlainObject(value)) {
    // Array.prototype.sort without a comparator orders by UTF-16 code units, which is
    // exactly the order RFC 8785 section 3.2.3 asks for.
    const keys = Object.keys(value).sort();
    const members = keys.map((key) => `${serializeString(key)}:${serialize(value[key], depth + 1)}`);
    return `{${members.join(',')}}`;
  }
  throw new CryptoError('invalid_json', `cannot canonicalize a value of type ${describe(value)}`);
}

function serializeString(text: string): string {
  if (LONE_SURROGATE.test(text)) {
    throw new CryptoError('invalid_json', 'string contains a lone surrogate');
  }
  // JSON.stringify's escaping (ES2019+) is the one RFC 8785 section 3.2.2.2 specifies.
  return JSON.stringify(text);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    return value.constructor?.name ?? 'object';
  }
  return typeof value;
}
