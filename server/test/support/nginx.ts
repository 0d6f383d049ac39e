import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { requireExecutable, spawnGroup } from './child-group';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/** The load-balancer configuration the project ships; the tests run this very file. */
export const SHIPPED_NGINX_CONF = resolve(__dirname, '../../../deploy/nginx.conf');

export interface Nginx {
  url: string;
  port: number;
  /** The generated configuration, for assertions and debugging. */
  config: string;
  output(): string;
  stop(): Promise<void>;
}

/** Replaces what `pattern` matches, failing when it matches nothing: the shipped file and the test must not drift apart. */
function replaceOrFail(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) {
    throw new Error(`deploy/nginx.conf no longer has ${String(pattern)}; update server/test/support/nginx.ts with it`);
  }
  return text.replace(pattern, replacement);
}

/**
 * deploy/nginx.conf with the listen address on a free loopback port, the given
 * upstream instances, and its pid, logs and temp files under `prefix`.
 */
export function testNginxConfig(shipped: string, prefix: string, port: number, upstreams: readonly string[]): string {
  let config = shipped;
  config = replaceOrFail(config, /^worker_processes .*;$/m, 'worker_processes 1;');
  config = replaceOrFail(config, /^pid .*;$/m, `pid ${join(prefix, 'nginx.pid')};`);
  config = replaceOrFail(config, /^error_log .*;$/m, `error_log ${join(prefix, 'error.log')} warn;`);
  config = replaceOrFail(config, /^(\s*)access_log .*;$/m, `$1access_log ${join(prefix, 'access.log')};`);
  config = replaceOrFail(config, /^(\s*)client_body_temp_path .*;$/m, `$1client_body_temp_path ${join(prefix, 'client-body')};`);
  config = replaceOrFail(config, /^(\s*)proxy_temp_path .*;$/m, `$1proxy_temp_path ${join(prefix, 'proxy')};`);
  config = replaceOrFail(config, /^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);
  // The upstream block: its first `server host:port options;` line becomes one line per test instance.
  const serverLine = /^(\s*)server \S+:\d+( [^;]*)?;$/;
  const lines = config.split('\n');
  const first = lines.findIndex((line) => serverLine.test(line));
  if (first < 0) {
    throw new Error('deploy/nginx.conf has no upstream server lines; update server/test/support/nginx.ts');
  }
  const [, indent, options = ''] = serverLine.exec(lines[first])!;
  const upstreamLines = upstreams.map((upstream) => `${indent}server ${upstream}${options};`);
  return lines.flatMap((line, index) => (index === first ? upstreamLines : serverLine.test(line) ? [] : [line])).join('\n');
}

/** Real nginx in front of `upstreams` (`127.0.0.1:<port>` each), from the shipped configuration. */
export async function startNginx(upstreams: readonly string[]): Promise<Nginx> {
  const binary = requireExecutable('nginx', 'nginx-light');
  const prefix = mkdtempSync(join(tmpdir(), 'kez-nginx-'));
  // Workers may run as another user than the master (root): let them use the temp folders.
  chmodSync(prefix, 0o755);
  for (const folder of ['client-body', 'proxy']) {
    mkdirSync(join(prefix, folder), { mode: 0o777 });
    chmodSync(join(prefix, folder), 0o777);
  }
  const port = await freePort();
  const config = testNginxConfig(readFileSync(SHIPPED_NGINX_CONF, 'utf8'), prefix, port, upstreams);
  const configPath = join(prefix, 'nginx.conf');
  writeFileSync(configPath, config);
  const nginx = spawnGroup(binary, ['-p', prefix, '-c', configPath, '-g', 'daemon off;']);
  let gone = false;
  void nginx.exited.then(() => (gone = true));
  const errorLog = () => {
    try {
      return readFileSync(join(prefix, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await waitFor(`nginx to listen on 127.0.0.1:${port}`, () => {
      if (gone) {
        throw new Error(`nginx exited:\n${nginx.output()}\n${errorLog()}`);
      }
      return new Promise<boolean>((resolveProbe) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolveProbe(true)));
        socket.once('error', () => resolveProbe(false));
      });
    });
  } catch (error) {
    await nginx.stop('SIGKILL');
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    config,
    output: () => `${nginx.output()}${errorLog()}`,
    stop: async () => {
      // SIGQUIT would wait for open streams to end; the tests want them cut.
      await nginx.stop('SIGTERM');
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
