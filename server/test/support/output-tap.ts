/** What one in-process server wrote, as a process's stdout and stderr would hold it. */
export interface OutputTap {
  text(): string;
  /** Stops recording; once no tap is open, writes reach the terminal again. */
  close(): void;
}

type Sink = (text: string) => void;

/**
 * Kept on the stream object itself: Jest gives each test file a fresh copy of
 * `process` and of every module, but the streams are the worker's own, so a
 * wrapper installed by an earlier file is found and reused, never stacked.
 */
const SINKS = Symbol.for('kez-chat.test.output-sinks');

function sinksOf(stream: NodeJS.WriteStream): Set<Sink> {
  const holder = stream as NodeJS.WriteStream & { [SINKS]?: Set<Sink> };
  let sinks = holder[SINKS];
  if (!sinks) {
    const found = new Set<Sink>();
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (found.size === 0) {
        return write(chunk, ...rest);
      }
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      found.forEach((sink) => sink(text));
      // write(chunk, [encoding], [callback]): the callback is the last function given.
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      callback?.();
      return true;
    };
    holder[SINKS] = sinks = found;
  }
  return sinks;
}

/**
 * Records everything written to this process's stdout and stderr until closed,
 * which is where Nest's console logger writes; while any tap is open, nothing
 * reaches the terminal, as a child process's collected output never does. Lines of
 * other code writing there meanwhile (another in-process server) are recorded too.
 */
export function tapOutput(): OutputTap {
  let text = '';
  const sink: Sink = (chunk) => (text += chunk);
  const streams = [process.stdout, process.stderr];
  streams.forEach((stream) => sinksOf(stream).add(sink));
  return {
    text: () => text,
    close: () => streams.forEach((stream) => sinksOf(stream).delete(sink)),
  };
}
