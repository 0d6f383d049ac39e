/**
 * A rejection's reason as words to put inside a sentence, e.g. "(The quota has been
 * exceeded)": its message without the final full stop, or null when it has none.
 */
export function errorReason(error: unknown): string | null {
  // Duck-typed: a DOMException (what IndexedDB and WebAuthn throw) is not an Error everywhere.
  const raw = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  const message = typeof raw === 'string' ? raw.trim().replace(/\.+$/, '') : '';
  return message === '' ? null : message;
}
