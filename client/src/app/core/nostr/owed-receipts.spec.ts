import type { MessageContent } from '@kez/crypto';

import { MemoryStore } from '../storage/memory-store';
import { sendOwedReceipts } from './owed-receipts';
import { ReceiptTracker } from './receipt-tracker';
import type { ArrivalListener, MessageTransport, PeerAddress, SendReport } from './transport';

const alice = `ed25519:${'a'.repeat(64)}`;
const bob = `ed25519:${'b'.repeat(64)}`;

/** Accepts receipts for the peers in `accepting`, refuses the rest, throws for `throwing`. */
class ScriptedTransport implements MessageTransport {
  readonly name = 'scripted';
  readonly receipts: { peer: PeerAddress; ids: readonly string[] }[] = [];

  constructor(
    private readonly accepting: ReadonlySet<string>,
    private readonly throwing: ReadonlySet<string> = new Set(),
  ) {}

  async start(): Promise<void> {}
  stop(): void {}
  async sendMessage(_peer: PeerAddress, _content: MessageContent & { id: string }): Promise<SendReport> {
    throw new Error('not used');
  }
  onArrival(_listener: ArrivalListener): () => void {
    return () => undefined;
  }

  async sendReceipt(peer: PeerAddress, ids: readonly string[]): Promise<SendReport> {
    this.receipts.push({ peer, ids });
    if (this.throwing.has(peer.primary)) {
      throw new Error('socket gone');
    }
    return this.accepting.has(peer.primary) ? { first: 'r', accepted: ['r'], refused: [] } : { accepted: [], refused: [{ path: 'r', reason: 'blocked' }] };
  }
}

describe(sendOwedReceipts.name, () => {
  it('sends each owed receipt, clears the accepted ones and keeps the rest for the next try', async () => {
    const tracker = new ReceiptTracker(new MemoryStore());
    await tracker.owe(alice, '1'.repeat(64), ['a1', 'a2']);
    await tracker.owe(bob, '2'.repeat(64), ['b1']);
    const transport = new ScriptedTransport(new Set([alice]));
    expect(await sendOwedReceipts(tracker, transport)).toEqual({ sent: 1, failed: [{ peer: bob, reasons: ['r: blocked'] }] });
    expect(transport.receipts).toEqual([
      { peer: { primary: alice, addr: '1'.repeat(64) }, ids: ['a1', 'a2'] },
      { peer: { primary: bob, addr: '2'.repeat(64) }, ids: ['b1'] },
    ]);
    expect(await tracker.pendingReceipts()).toEqual([{ peer: bob, addr: '2'.repeat(64), ids: ['b1'] }]);
  });

  it('counts a transport that throws as a failure and keeps the receipt', async () => {
    const tracker = new ReceiptTracker(new MemoryStore());
    await tracker.owe(bob, '2'.repeat(64), ['b1']);
    expect(await sendOwedReceipts(tracker, new ScriptedTransport(new Set([bob]), new Set([bob])))).toEqual({
      sent: 0,
      failed: [{ peer: bob, reasons: ['socket gone'] }],
    });
    expect(await tracker.pendingReceipts()).toHaveLength(1);
  });
});
