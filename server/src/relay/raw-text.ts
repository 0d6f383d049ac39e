import type { RawData } from 'ws';

/** A WebSocket message as text, whichever of its three shapes `ws` hands over (Buffer, ArrayBuffer or fragments). */
export function rawText(data: RawData): string {
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
}
