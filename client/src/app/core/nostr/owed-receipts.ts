import type { ReceiptTracker } from './receipt-tracker';
import type { MessageTransport } from './transport';

/** How one retry of the owed receipts went. */
export interface OwedReceiptsResult {
  /** Receipts a path accepted (no longer owed). */
  readonly sent: number;
  /** Receipts still owed, with the reasons every path gave. */
  readonly failed: readonly { readonly peer: string; readonly reasons: readonly string[] }[];
}

/**
 * Sends every receipt the tracker holds as owed (at start, and after a path comes
 * back) and clears those a path accepted. A receipt no path took stays owed for the
 * next try; a transport that throws counts as a failure, never as sent.
 */
export async function sendOwedReceipts(tracker: ReceiptTracker, transport: MessageTransport): Promise<OwedReceiptsResult> {
  let sent = 0;
  const failed: { peer: string; reasons: string[] }[] = [];
  for (const owed of await tracker.pendingReceipts()) {
    try {
      const report = await transport.sendReceipt({ primary: owed.peer, addr: owed.addr }, owed.ids);
      if (report.accepted.length > 0) {
        await tracker.receiptSent(owed.peer, owed.ids);
        sent++;
      } else {
        failed.push({ peer: owed.peer, reasons: report.refused.map(({ path, reason }) => `${path}: ${reason}`) });
      }
    } catch (error) {
      failed.push({ peer: owed.peer, reasons: [error instanceof Error ? error.message : String(error)] });
    }
  }
  return { sent, failed };
}
