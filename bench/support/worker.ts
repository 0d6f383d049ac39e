import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

import { onCleanup } from './cleanup';

/** The repository root: workers run from it, so `-r esbuild-register` finds tsconfig.json (and its `@kez/*` paths). */
export const ROOT = resolve(__dirname, '../..');

/**
 * `bash -c 'ulimit -n <hard>; exec …'`: Node cannot raise its own open-file limit,
 * and a process holding thousands of sockets needs more than the usual soft limit.
 * `exec` keeps the pid, so /proc/<pid> is the program's own.
 */
export function withFileLimit(command: string, args: readonly string[]): [string, string[]] {
  return ['bash', ['-c', 'ulimit -n "$(ulimit -Hn)" && exec "$@"', 'bash', command, ...args]];
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** A TypeScript load process driven over IPC: `call` sends a command and resolves with its handler's result. */
export interface Worker {
  readonly pid: number;
  call<R>(type: string, body?: unknown, timeoutMs?: number): Promise<R>;
  stop(): Promise<void>;
}

/** Starts `file` (TypeScript, run by esbuild-register) as its own process group with an IPC channel. */
export function spawnWorker(file: string, name: string): Worker {
  const [command, args] = withFileLimit(process.execPath, ['-r', 'esbuild-register', file]);
  const child: ChildProcess = spawn(command, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  // Workers never own stdout (it carries the report); their output is kept for the error message when one dies.
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let next = 0;
  child.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) {
      waiting?.resolve(reply.result);
    } else {
      waiting?.reject(new Error(`${name}: ${reply.error}`));
    }
  });
  void exited.then(() => {
    pending.forEach((waiting) => waiting.reject(new Error(`${name} exited (code ${child.exitCode}, signal ${child.signalCode}):\n${output}`)));
    pending.clear();
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    }
  };
  const forget = onCleanup(name, stop);
  return {
    pid: child.pid!,
    call: <R>(type: string, body?: unknown, timeoutMs = 120_000) =>
      new Promise<R>((resolveCall, rejectCall) => {
        const id = next++;
        const timer = setTimeout(() => {
          pending.delete(id);
          rejectCall(new Error(`${name} did not answer ${type} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolveCall(value as R);
          },
          reject: (error) => {
            clearTimeout(timer);
            rejectCall(error);
          },
        });
        child.send({ id, type, body });
      }),
    stop: forget,
  };
}

/** The worker's commands by name; a handler returns its result or a Promise of it. */
export type Handlers = Record<string, (body: any) => unknown>;

/** The worker's side: answers each command with its handler's result; exits when the orchestrator goes away. */
export function serveWorker(handlers: Handlers): void {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: { id: number; type: string; body: unknown }) => {
    const handler = handlers[message.type];
    Promise.resolve()
      .then(() => {
        if (!handler) {
          throw new Error(`unknown command ${message.type}`);
        }
        return handler(message.body);
      })
      .then(
        (result) => process.send!({ id: message.id, ok: true, result } satisfies Reply),
        (error: unknown) =>
          process.send!({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Reply),
      );
  });
}
