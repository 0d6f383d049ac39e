/**
 * Names the constraint or column a unique-violation error is about, or returns
 * undefined when the error is something else. SQLite says
 * `UNIQUE constraint failed: handles.identity_key`; PostgreSQL gives SQLSTATE
 * 23505 with the constraint name.
 */
export function uniqueViolationTarget(error: unknown): string | undefined {
  const driverError = (error as { driverError?: unknown })?.driverError ?? error;
  const e = driverError as { code?: unknown; constraint?: unknown; detail?: unknown; message?: unknown };
  if (e?.code === '23505') {
    return `${text(e.constraint)} ${text(e.detail)}`;
  }
  if (typeof e?.code === 'string' && /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(e.code)) {
    return text(e.message);
  }
  return undefined;
}

/** The drivers' fields are strings when present. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
