import type { LogLevel } from '@nestjs/common';

const ORDER: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest wants the list of enabled levels; the operator names the lowest one. */
export function enabledLevels(lowest: LogLevel): LogLevel[] {
  return ORDER.slice(0, ORDER.indexOf(lowest) + 1);
}
