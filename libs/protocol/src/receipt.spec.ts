import { isReceiptContent, RECEIPT_MAX_IDS, readReceiptIds, receiptContent } from './receipt';

describe('delivery receipts', () => {
  it('round-trips the acknowledged ids, without duplicates', () => {
    const content = receiptContent(['a', 'b', 'a']);
    expect(content).toEqual({ body: '', acks: ['a', 'b'] });
    const { body: _body, ...extra } = content;
    expect(isReceiptContent(extra)).toBe(true);
    expect(readReceiptIds(extra)).toEqual(['a', 'b']);
  });

  it('refuses to build an empty, oversized or malformed receipt', () => {
    expect(() => receiptContent([])).toThrow(RangeError);
    expect(() => receiptContent(Array.from({ length: RECEIPT_MAX_IDS + 1 }, (_, i) => `id${i}`))).toThrow(RangeError);
    expect(() => receiptContent(['x'.repeat(129)])).toThrow(RangeError);
  });

  it('reads nothing from a message that is not a well-formed receipt', () => {
    expect(readReceiptIds({})).toBeUndefined();
    expect(isReceiptContent({})).toBe(false);
    for (const acks of ['a', [], [1], [''], null, Array.from({ length: RECEIPT_MAX_IDS + 1 }, (_, i) => `${i}`)]) {
      expect(isReceiptContent({ acks })).toBe(true);
      expect(readReceiptIds({ acks })).toBeUndefined();
    }
  });
});
