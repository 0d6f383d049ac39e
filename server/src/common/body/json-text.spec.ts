import { MAX_JSON_DEPTH } from '@kez/protocol';

import { ApiError } from '../errors/api-error';
import { jsonBodyText, jsonDepth } from './json-text';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function refusal(body: Buffer): string {
  try {
    jsonBodyText(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('bad_request');
    return (error as ApiError).message;
  }
  throw new Error('accepted');
}

describe(jsonDepth.name, () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"envelope":{"v":2}}', 2],
    ['[[],[[]]]', 3],
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[["}', 1],
    ['["\\\\",[1]]', 2],
  ])('measures %s as %d', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });

  it('stops counting once past the bound', () => {
    expect(jsonDepth(nested(100_000), 32)).toBe(33);
  });
});

describe(jsonBodyText.name, () => {
  it('passes UTF-8 JSON within the depth limit, characters untouched', () => {
    const text = `{"to":"kate","envelope":{"x":"é😀\u2028","deep":${nested(MAX_JSON_DEPTH - 2)}}}`;
    expect(jsonBodyText(Buffer.from(text))).toBe(text);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} before anything parses it`, () => {
    expect(refusal(Buffer.from(`{"envelope":${nested(MAX_JSON_DEPTH)}}`))).toMatch(/deeper than 32/);
    expect(refusal(Buffer.from(`{"to":"kate","envelope":{"a":${nested(1400)}}}`))).toMatch(/deeper/);
  });

  it.each([
    ['FF FE inside a string', Buffer.concat([Buffer.from('{"envelope":{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')])],
    ['a lone continuation byte', Buffer.from([0x7b, 0x22, 0x80, 0x22, 0x3a, 0x31, 0x7d])],
    ['an overlong slash', Buffer.from([0x22, 0xc0, 0xaf, 0x22])],
    ['an encoded surrogate (CESU-8)', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])],
    ['a truncated sequence', Buffer.from([0x22, 0xe2, 0x82, 0x22])],
    ['a code point above U+10FFFF', Buffer.from([0x22, 0xf4, 0x90, 0x80, 0x80, 0x22])],
  ])('refuses %s as not UTF-8', (_name, body) => {
    expect(refusal(body)).toBe('The request body is not valid UTF-8.');
  });

  it('refuses a byte order mark and an empty body', () => {
    expect(refusal(Buffer.from('\ufeff{}'))).toMatch(/byte order mark/);
    expect(refusal(Buffer.alloc(0))).toMatch(/empty/);
  });
});
