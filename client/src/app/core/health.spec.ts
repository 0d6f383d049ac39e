import { failedChecks, type HttpOutcome, parseLiveness, toServerReport } from './health';

const alive: HttpOutcome = { status: 200, body: { status: 'ok', server: 'kez.example', version: '0.1.0' } };
const ready: HttpOutcome = { status: 200, body: { status: 'ok' } };
const noAnswer: HttpOutcome = { status: 0, body: null };

describe(parseLiveness.name, () => {
  it('reads the server name and version', () => {
    expect(parseLiveness(alive.body)).toEqual({ server: 'kez.example', version: '0.1.0' });
  });

  it('trims surrounding whitespace', () => {
    expect(parseLiveness({ status: 'ok', server: ' kez.example ', version: '1.2.3-rc.1\n' })).toEqual({
      server: 'kez.example',
      version: '1.2.3-rc.1',
    });
  });

  it.each([
    ['null', null],
    ['a string', 'ok'],
    ['an array', [{ status: 'ok', server: 'a', version: '1' }]],
    ['an HTML page', '<!doctype html><title>KEZ chat</title>'],
    ['another status', { status: 'starting', server: 'kez.example', version: '0.1.0' }],
    ['no server', { status: 'ok', version: '0.1.0' }],
    ['an empty server', { status: 'ok', server: '  ', version: '0.1.0' }],
    ['a numeric version', { status: 'ok', server: 'kez.example', version: 1 }],
    ['an overlong server', { status: 'ok', server: 'x'.repeat(257), version: '0.1.0' }],
  ])('refuses %s', (_label, body) => {
    expect(parseLiveness(body)).toBeNull();
  });
});

describe(failedChecks.name, () => {
  it('lists the checks that did not pass, sorted', () => {
    const body = {
      status: 'unavailable',
      checks: { nats: 'down', database: { status: 'error' }, cache: true, disk: 'ok', queue: { status: 'ok' } },
    };
    expect(failedChecks(body)).toEqual(['database', 'nats']);
  });

  it.each([null, 'unavailable', {}, { checks: null }, { checks: ['database'] }])('is empty for %p', (body) => {
    expect(failedChecks(body)).toEqual([]);
  });
});

describe(toServerReport.name, () => {
  it('is ok when the server lives and is ready', () => {
    expect(toServerReport(alive, ready)).toEqual({
      health: 'ok',
      server: 'kez.example',
      version: '0.1.0',
      failedChecks: [],
    });
  });

  it('takes any 200 from readyz as ready, whatever its body', () => {
    expect(toServerReport(alive, { status: 200, body: null }).health).toBe('ok');
  });

  it('is unavailable when readyz answers 503, naming the failed checks', () => {
    const notReady = { status: 503, body: { status: 'unavailable', checks: { database: 'down' } } };
    expect(toServerReport(alive, notReady)).toEqual({
      health: 'unavailable',
      server: 'kez.example',
      version: '0.1.0',
      failedChecks: ['database'],
    });
  });

  it('is unavailable when only readyz gets no answer', () => {
    expect(toServerReport(alive, noAnswer)).toMatchObject({ health: 'unavailable', failedChecks: [] });
  });

  it.each([
    ['no answer', noAnswer],
    ['a gateway error', { status: 502, body: '<html>Bad Gateway</html>' }],
    ['a JSON 404', { status: 404, body: { error: { code: 'not_found', message: 'Not found' } } }],
    ['a 200 that is not a health response', { status: 200, body: '<!doctype html>' }],
  ])('is unreachable on %s from healthz', (_label, healthz) => {
    expect(toServerReport(healthz, ready)).toEqual({
      health: 'unreachable',
      server: null,
      version: null,
      failedChecks: [],
    });
  });
});
