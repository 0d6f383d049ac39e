import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { requireExecutable } from '../support/child-group';
import { SHIPPED_NGINX_CONF, testNginxConfig } from '../support/nginx';

const NATS_CONF = resolve(__dirname, '../../../deploy/nats.conf');

describe('the shipped deployment files', () => {
  const nginxConf = readFileSync(SHIPPED_NGINX_CONF, 'utf8');

  it('nginx.conf keeps streams unbuffered and open, and passes the client address on', () => {
    for (const directive of [
      'proxy_http_version 1.1;',
      "proxy_set_header Connection '';",
      'proxy_buffering off;',
      'proxy_cache off;',
      'proxy_read_timeout 1h;',
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    ]) {
      expect(nginxConf).toContain(directive);
    }
  });

  it('nginx.conf passes nginx -t, with the test ports and paths the cluster tests use', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'kez-nginx-t-'));
    const config = testNginxConfig(nginxConf, prefix, 18080, ['127.0.0.1:18081', '127.0.0.1:18082', '127.0.0.1:18083']);
    expect(config.match(/^\s*server 127\.0\.0\.1:1808[123] max_fails=1 fail_timeout=5s;$/gm)).toHaveLength(3);
    expect(config).not.toContain('kez-chat-1');
    writeFileSync(join(prefix, 'nginx.conf'), config);
    const check = spawnSync(requireExecutable('nginx', 'nginx-light'), ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf')], { encoding: 'utf8' });
    expect(`${check.stderr}`).toContain('test is successful');
    expect(check.status).toBe(0);
  });

  it('nats.conf passes nats-server -t', () => {
    const check = spawnSync(requireExecutable('nats-server', 'nats-server'), ['-c', NATS_CONF, '-t'], { encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toContain('is valid');
    expect(check.status).toBe(0);
  });
});
