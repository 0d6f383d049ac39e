// Times as a chat shows them: the clock time in a bubble, and in the conversation
// list the time for today, "Yesterday", or a short date.

const DAY_MS = 24 * 60 * 60 * 1000;

function startOfDay(ms: number): number {
  const date = new Date(ms);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** "14:05" (or "2:05 PM", as the locale writes it). */
export function formatClock(unixSeconds: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(unixSeconds * 1000);
}

/** The clock time today, "Yesterday", the weekday within a week, else a short date. */
export function formatWhen(unixSeconds: number, nowMs: number = Date.now(), locale?: string): string {
  const ms = unixSeconds * 1000;
  const days = Math.round((startOfDay(nowMs) - startOfDay(ms)) / DAY_MS);
  if (days <= 0) {
    return formatClock(unixSeconds, locale);
  }
  if (days === 1) {
    return 'Yesterday';
  }
  if (days < 7) {
    return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(ms);
  }
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(ms);
}

/** The full date and time, for a tooltip or a screen reader. */
export function formatFull(unixSeconds: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(unixSeconds * 1000);
}
