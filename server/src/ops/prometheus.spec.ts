import type { Figures } from './figures';
import { statsData } from './figures';
import { renderPrometheus } from './prometheus';

const figures: Figures = {
  server: 'chat.example.org',
  instanceId: 'a1b2c3d4',
  openStreams: 3,
  messagesAccepted: 42,
  pushesSent: 7,
  pushesFailed: 1,
  rateLimited: { register: 2, messages: 5 },
  natsConnected: true,
};

describe(renderPrometheus.name, () => {
  it('writes every figure with HELP and TYPE in the text format', () => {
    const text = renderPrometheus(figures, '0.1.0');
    expect(text).toContain('# TYPE kez_chat_info gauge\nkez_chat_info{server="chat.example.org",instance_id="a1b2c3d4",version="0.1.0"} 1\n');
    expect(text).toContain('# TYPE kez_chat_open_streams gauge\nkez_chat_open_streams 3\n');
    expect(text).toContain('# TYPE kez_chat_messages_accepted_total counter\nkez_chat_messages_accepted_total 42\n');
    expect(text).toContain('kez_chat_pushes_sent_total 7\n');
    expect(text).toContain('kez_chat_pushes_failed_total 1\n');
    expect(text).toContain('kez_chat_rate_limited_total{rule="messages"} 5\nkez_chat_rate_limited_total{rule="register"} 2\n');
    expect(text).toContain('kez_chat_nats_connected 1\n');
    expect(text.endsWith('\n')).toBe(true);
    // Every sample line is `name{labels} number`, every other line a comment.
    for (const line of text.trimEnd().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) kez_chat_\w+ .+|kez_chat_\w+(\{[^}]*\})? \d+)$/);
    }
  });

  it('leaves out NATS when it is not configured, and escapes label values', () => {
    const text = renderPrometheus({ ...figures, natsConnected: undefined, server: 'a"b\\c' }, '1.0.0');
    expect(text).not.toContain('kez_chat_nats_connected');
    expect(text).toContain('server="a\\"b\\\\c"');
  });
});

describe(statsData.name, () => {
  it('carries the same figures for $SRV.STATS', () => {
    expect(statsData(figures)).toEqual({
      server: 'chat.example.org',
      instance_id: 'a1b2c3d4',
      open_streams: 3,
      messages_accepted: 42,
      pushes_sent: 7,
      pushes_failed: 1,
      rate_limited: { register: 2, messages: 5 },
    });
  });
});
