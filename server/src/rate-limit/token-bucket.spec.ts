import { type Bucket, bucketWith, leaseTokens, returnTokens, takeToken } from './token-bucket';

const PER_MINUTE_60 = { capacity: 60, perSecond: 1 };
const PER_MINUTE_3 = { capacity: 3, perSecond: 3 / 60 };

/** Takes `count` tokens at `now` and returns the last outcome with the bucket. */
function takeMany(count: number, rate: typeof PER_MINUTE_3, now: number, start?: Bucket) {
  let bucket = start;
  let result = { allowed: true, retryAfterSeconds: 0 };
  for (let i = 0; i < count; i++) {
    ({ bucket, result } = takeToken(bucket, rate, now));
  }
  return { bucket: bucket!, result };
}

describe(takeToken.name, () => {
  it('starts full: a burst of exactly capacity is allowed, the next is refused', () => {
    const { bucket, result } = takeMany(60, PER_MINUTE_60, 0);
    expect(result).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(bucket.tokens).toBe(0);
    expect(takeToken(bucket, PER_MINUTE_60, 0).result).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills continuously at count/period', () => {
    const empty = takeMany(3, PER_MINUTE_3, 0).bucket;
    // One token every 20 s for 3/min.
    expect(takeToken(empty, PER_MINUTE_3, 19_999).result.allowed).toBe(false);
    const { bucket, result } = takeToken(empty, PER_MINUTE_3, 20_000);
    expect(result.allowed).toBe(true);
    expect(bucket.tokens).toBeCloseTo(0);
  });

  it('never refills beyond capacity', () => {
    const empty = takeMany(3, PER_MINUTE_3, 0).bucket;
    const later = takeMany(3, PER_MINUTE_3, 3_600_000, empty);
    expect(later.result.allowed).toBe(true);
    expect(takeToken(later.bucket, PER_MINUTE_3, 3_600_000).result.allowed).toBe(false);
  });

  it('gives Retry-After as whole seconds until one token is back, rounded up', () => {
    const empty = takeMany(3, PER_MINUTE_3, 0).bucket;
    expect(takeToken(empty, PER_MINUTE_3, 0).result.retryAfterSeconds).toBe(20);
    expect(takeToken(empty, PER_MINUTE_3, 500).result.retryAfterSeconds).toBe(20);
    expect(takeToken(empty, PER_MINUTE_3, 1_000).result.retryAfterSeconds).toBe(19);
    expect(takeToken(empty, PER_MINUTE_3, 19_900).result.retryAfterSeconds).toBe(1);
  });

  it('answers at least 1 second even for fast rates', () => {
    const fast = { capacity: 10, perSecond: 10 };
    const empty = takeMany(10, fast, 0).bucket;
    expect(takeToken(empty, fast, 0).result).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('does not charge refused requests: waiting Retry-After is enough', () => {
    let bucket = takeMany(3, PER_MINUTE_3, 0).bucket;
    for (let t = 0; t < 20_000; t += 1_000) {
      ({ bucket } = takeToken(bucket, PER_MINUTE_3, t));
    }
    expect(takeToken(bucket, PER_MINUTE_3, 20_000).result.allowed).toBe(true);
  });

  it('records when the bucket is full again', () => {
    const { bucket } = takeMany(2, PER_MINUTE_3, 1_000);
    expect(bucket.fullAt).toBeCloseTo(1_000 + 40_000);
    expect(takeToken(undefined, PER_MINUTE_3, 5_000).bucket.fullAt).toBeCloseTo(5_000 + 20_000);
  });

  it('tolerates a clock that steps back', () => {
    const { bucket } = takeMany(1, PER_MINUTE_3, 10_000);
    const { bucket: next, result } = takeToken(bucket, PER_MINUTE_3, 0);
    expect(result.allowed).toBe(true);
    expect(next.tokens).toBeCloseTo(1);
  });
});

describe(leaseTokens.name, () => {
  it('takes what is wanted, at most the given share of the whole tokens left', () => {
    expect(leaseTokens(undefined, PER_MINUTE_60, 0, 10, 4)).toEqual({ leased: 10, bucket: bucketWith(50, PER_MINUTE_60, 0) });
    expect(leaseTokens(undefined, PER_MINUTE_60, 0, 100, 4).leased).toBe(15);
    const nearEmpty = bucketWith(3.5, PER_MINUTE_60, 0);
    expect(leaseTokens(nearEmpty, PER_MINUTE_60, 0, 10, 4)).toEqual({ leased: 0, bucket: nearEmpty });
  });
});

describe(returnTokens.name, () => {
  it('adds the tokens back, never past capacity; a missing bucket is full already', () => {
    expect(returnTokens(bucketWith(10, PER_MINUTE_60, 0), PER_MINUTE_60, 0, 5)).toEqual(bucketWith(15, PER_MINUTE_60, 0));
    // 20 s later the bucket refilled 20 tokens by itself: 10 + 20 + 40 is capped at 60.
    expect(returnTokens(bucketWith(10, PER_MINUTE_60, 0), PER_MINUTE_60, 20_000, 40)).toEqual(bucketWith(60, PER_MINUTE_60, 20_000));
    expect(returnTokens(undefined, PER_MINUTE_60, 0, 5)).toBeUndefined();
  });
});
