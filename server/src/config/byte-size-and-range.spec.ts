import { InvalidValue, parseByteSize, parseDuration, withinRange } from './parsers';

describe(parseByteSize.name, () => {
  it.each([
    ['1048576', 1_048_576],
    ['512kb', 512 * 1024],
    ['512 KiB', 512 * 1024],
    ['1mb', 1024 * 1024],
    ['2M', 2 * 1024 * 1024],
    ['10b', 10],
  ])('reads %j as %d bytes', (raw, bytes) => {
    expect(parseByteSize(raw)).toBe(bytes);
  });

  it.each(['', 'lots', '1.5mb', '-1', '1gb'])('refuses %j', (raw) => {
    expect(() => parseByteSize(raw)).toThrow(InvalidValue);
  });
});

describe(withinRange.name, () => {
  const keepalive = withinRange(parseDuration, 50, 15_000, 'between 50ms and 15s');

  it('passes values inside the range through', () => {
    expect(keepalive('15s')).toBe(15_000);
    expect(keepalive('50ms')).toBe(50);
  });

  it('refuses values outside it, saying the range', () => {
    expect(() => keepalive('16s')).toThrow('must be between 50ms and 15s');
    expect(() => keepalive('10ms')).toThrow(InvalidValue);
  });
});
