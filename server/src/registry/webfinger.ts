import type { HandleRecord } from '@kez/protocol';

/** RFC 7033 JSON Resource Descriptor. */
export interface Jrd {
  subject: string;
  aliases?: string[];
  properties: Record<string, string>;
  links: { rel: string; type?: string; href: string }[];
}

/** Property names are URIs, as RFC 7033 asks; they are part of docs/protocol.md. */
export const JRD_PRIMARY = 'https://kez.chat/ns/webfinger/primary';
export const JRD_ADDR = 'https://kez.chat/ns/webfinger/addr';

export function webfingerJrd(record: HandleRecord): Jrd {
  return {
    subject: `acct:${record.handle}@${record.server}`,
    aliases: [`nostr:${record.addr}`],
    properties: { [JRD_PRIMARY]: record.primary, [JRD_ADDR]: record.addr },
    links: [{ rel: 'self', type: 'application/json', href: `https://${record.server}/v1/u/${record.handle}` }],
  };
}
