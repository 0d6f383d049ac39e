import type { ChatMessage } from './model';

/** A message placed in its thread: whether it starts a run of messages from the same side. */
export interface PlacedMessage {
  readonly message: ChatMessage;
  /** First of consecutive messages in one direction: gets the full gap and the tail corner. */
  readonly startsRun: boolean;
}

export interface DayGroup {
  /** Local calendar day, `YYYY-MM-DD`. */
  readonly day: string;
  /** "Today", "Yesterday" or the date. */
  readonly label: string;
  readonly items: readonly PlacedMessage[];
}

function localDay(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function dayLabel(day: string, nowMs: number, locale?: string): string {
  if (day === localDay(nowMs)) {
    return 'Today';
  }
  const yesterday = new Date(nowMs);
  yesterday.setDate(yesterday.getDate() - 1);
  if (day === localDay(yesterday.getTime())) {
    return 'Yesterday';
  }
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(year, month - 1, date));
}

/** Splits a thread (oldest first) into days, marking where each run of one side begins. */
export function groupByDay(messages: readonly ChatMessage[], nowMs: number = Date.now(), locale?: string): DayGroup[] {
  const groups: { day: string; items: PlacedMessage[] }[] = [];
  for (const message of messages) {
    const day = localDay(message.sentAt * 1000);
    let group = groups.at(-1);
    if (group?.day !== day) {
      group = { day, items: [] };
      groups.push(group);
    }
    const previous = group.items.at(-1)?.message;
    group.items.push({ message, startsRun: previous?.direction !== message.direction });
  }
  return groups.map((group) => ({ ...group, label: dayLabel(group.day, nowMs, locale) }));
}
