import { vapidSubject, vapidSubjectProblem } from './vapid-subject';

describe(vapidSubjectProblem.name, () => {
  it.each(['mailto:admin@chat.kez.social', 'https://chat.kez.social/contact', 'mailto:ops@mail.example.co.uk'])('accepts %s', (subject) => {
    expect(vapidSubjectProblem(subject)).toBeUndefined();
  });

  it.each([
    ['mailto:admin@localhost', /localhost/],
    ['mailto:admin@chat.localhost', /reserved/],
    ['mailto:admin@127.0.0.1', /IP address/],
    ['https://[::1]/', /IP address \(::1\)/],
    ['https://192.168.1.10/contact', /IP address/],
    ['mailto:admin@box.local', /reserved/],
    ['mailto:admin@chat.test', /reserved/],
    ['mailto:admin@x.invalid', /reserved/],
    ['mailto:admin@chat.example', /reserved/],
    ['mailto:admin@host.internal', /reserved/],
    ['mailto:admin@nas.home.arpa', /reserved/],
    ['https://example.com/', /reserved/],
    ['mailto:admin@CHAT.TEST', /reserved/],
    ['mailto:admin@intranet', /not a public domain/],
  ])('warns about %s', (subject, why) => {
    const problem = vapidSubjectProblem(subject);
    expect(problem).toMatch(why);
    expect(problem).toMatch(/KEZ_CHAT_VAPID_SUBJECT/);
    expect(problem).toMatch(/403 BadJwtToken/);
  });

  it('flags the default subject of the default server name', () => {
    expect(vapidSubjectProblem(vapidSubject({ vapidSubject: '', server: 'localhost' }))).toMatch(/mailto:admin@localhost/);
  });
});
