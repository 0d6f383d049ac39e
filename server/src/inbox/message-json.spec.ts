import { messageJson, rememberEnvelopeJson, storedMessageJson } from './message-json';

describe(messageJson.name, () => {
  it('writes seq, envelope and created_at in that order around the stored text', () => {
    expect(messageJson(7, '{"v":2,"ct":"é"}', 1764000000)).toBe('{"seq":7,"envelope":{"v":2,"ct":"é"},"created_at":1764000000}');
    expect(JSON.parse(messageJson(7, '{"a":[1,{"b":null}]}', 1))).toEqual({ seq: 7, envelope: { a: [1, { b: null }] }, created_at: 1 });
  });
});

describe(storedMessageJson.name, () => {
  it('equals JSON.stringify of the message', () => {
    const message = { seq: 1, envelope: { v: 2, nested: { x: 'y"z' } }, created_at: 5 };
    expect(storedMessageJson(message)).toBe(JSON.stringify(message));
  });

  it('uses the text the envelope arrived as', () => {
    const envelope = { v: 2 };
    // Text that JSON.stringify would not produce, to show it is not serialized again.
    rememberEnvelopeJson(envelope, '{"v": 2}');
    expect(storedMessageJson({ seq: 2, envelope, created_at: 3 })).toBe('{"seq":2,"envelope":{"v": 2},"created_at":3}');
  });
});
