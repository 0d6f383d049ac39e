import { MAX_JSON_DEPTH } from '@kez/protocol';

import { ApiError } from '../errors/api-error';

/** Decodes strictly: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a JSON request body, checked before anything parses or walks it
 * (docs/protocol.md §3): it must be UTF-8 (RFC 8259 §8.1) without a byte order mark,
 * not empty, and nested at most `maxDepth` arrays/objects deep, so that no
 * recursive code (class-transformer, validation, JCS, logging) meets an unbounded body.
 * Throws ApiError('bad_request') with a short message that never quotes the body.
 */
export function jsonBodyText(body: Buffer, maxDepth: number = MAX_JSON_DEPTH): string {
  if (body.length === 0) {
    throw new ApiError('bad_request', 'The request body is empty.');
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new ApiError('bad_request', 'The request body is not valid UTF-8.');
  }
  if (text.charCodeAt(0) === 0xfeff) {
    throw new ApiError('bad_request', 'The request body starts with a byte order mark; send UTF-8 JSON without one.');
  }
  if (jsonDepth(text, maxDepth) > maxDepth) {
    throw new ApiError('bad_request', `The request body nests deeper than ${maxDepth} levels.`);
  }
  return text;
}

/**
 * How deep arrays and objects nest in a JSON text, counted without parsing it (one
 * pass, no recursion); stops counting once past `stopAbove`. Brackets inside strings
 * do not count. Malformed text is measured as far as it goes; JSON.parse refuses it later.
 */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) {
        i++;
      } else if (c === 0x22 /* " */) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) {
          return deepest;
        }
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return deepest;
}
