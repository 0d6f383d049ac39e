/**
 * Everything a benchmark started, stopped in reverse order when it ends, fails or
 * is interrupted (SIGINT, SIGTERM, an uncaught error), so no server, broker or load
 * process outlives the run.
 */
type Stop = () => Promise<unknown>;

const stack: { name: string; stop: Stop }[] = [];
let installed = false;
let exiting = false;

/** True once a signal or an uncaught error started the shutdown: later failures are its echoes. */
export function isBailingOut(): boolean {
  return exiting;
}

/** Registers `stop`; the returned function runs it now and forgets it. */
export function onCleanup(name: string, stop: Stop): () => Promise<void> {
  install();
  const entry = { name, stop };
  stack.push(entry);
  return async () => {
    const index = stack.indexOf(entry);
    if (index >= 0) {
      stack.splice(index, 1);
      await entry.stop();
    }
  };
}

/** Stops everything still registered, newest first; a failing stop never keeps the others from running. */
export async function cleanupAll(): Promise<void> {
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    try {
      await entry.stop();
    } catch (error) {
      process.stderr.write(`bench: stopping ${entry.name} failed: ${String(error)}\n`);
    }
  }
}

function install(): void {
  if (installed) {
    return;
  }
  installed = true;
  const bail = (why: string, code: number) => {
    if (exiting) {
      return;
    }
    exiting = true;
    process.stderr.write(`bench: ${why}; stopping what it started\n`);
    void cleanupAll().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => bail('interrupted', 130));
  process.on('SIGTERM', () => bail('terminated', 143));
  process.on('uncaughtException', (error) => bail(`failed: ${error.stack ?? String(error)}`, 1));
  process.on('unhandledRejection', (error) => bail(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 1));
}
