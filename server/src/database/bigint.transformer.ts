import type { ValueTransformer } from 'typeorm';

/**
 * PostgreSQL returns BIGINT as a string (it may exceed 2^53); our values are unix
 * seconds and sequence numbers, well inside the safe range, so read them as numbers.
 */
export const bigintTransformer: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
