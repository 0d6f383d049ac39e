import { type AskedFlag, FirstAsk, type PermissionBrowser } from './first-ask';

class FakeBrowser implements PermissionBrowser {
  supported = true;
  granted: NotificationPermission = 'default';
  /** What the person answers in the prompt. */
  answer: NotificationPermission = 'granted';
  prompts = 0;
  /** Resolves the prompt now (true) or leaves it open until `reply()` (false). */
  immediate = true;
  private replies: (() => void)[] = [];

  permission(): NotificationPermission {
    return this.granted;
  }
  requestPermission(): Promise<NotificationPermission> {
    this.prompts++;
    return new Promise((resolve) => {
      const reply = () => {
        this.granted = this.answer;
        resolve(this.answer);
      };
      if (this.immediate) {
        reply();
      } else {
        this.replies.push(reply);
      }
    });
  }
  reply(): void {
    this.replies.splice(0).forEach((reply) => reply());
  }
}

class Flag implements AskedFlag {
  value = false;
  get(): boolean {
    return this.value;
  }
  set(): void {
    this.value = true;
  }
}

function setUp(homeScreenNeeded = false): { browser: FakeBrowser; flag: Flag; ask: FirstAsk } {
  const browser = new FakeBrowser();
  const flag = new Flag();
  return { browser, flag, ask: new FirstAsk(browser, flag, homeScreenNeeded) };
}

describe('FirstAsk', () => {
  it('prompts in the click, turns on once the identity is open, and is not offered again', async () => {
    const { browser, flag, ask } = setUp();
    expect(ask.due()).toBe(true);
    ask.ask();
    expect(browser.prompts).toBe(1);
    expect(ask.asking).toBe(true);
    expect(await ask.settle()).toBe(true);
    expect(flag.value).toBe(true);
    expect(ask.asking).toBe(false);
    expect(ask.due()).toBe(false);
  });

  it('prompts once for a double click, and the second screen of the same flow', async () => {
    const { browser, ask } = setUp();
    browser.immediate = false;
    ask.ask();
    ask.ask();
    expect(browser.prompts).toBe(1);
    expect(ask.due()).toBe(false);
    browser.reply();
    expect(await ask.settle()).toBe(true);
    ask.ask();
    expect(browser.prompts).toBe(1);
  });

  it('never prompts after a refusal, in this browser or before', async () => {
    const { browser, flag, ask } = setUp();
    browser.answer = 'denied';
    ask.ask();
    expect(await ask.settle()).toBe(false);
    flag.value = false;
    expect(ask.due()).toBe(false);
    ask.ask();
    expect(browser.prompts).toBe(1);
  });

  it('takes a closed prompt as an answer: not offered again, off', async () => {
    const { browser, ask } = setUp();
    browser.answer = 'default';
    ask.ask();
    expect(await ask.settle()).toBe(false);
    expect(ask.due()).toBe(false);
  });

  it('turns on without a prompt where the permission is already allowed', async () => {
    const { browser, ask } = setUp();
    browser.granted = 'granted';
    expect(ask.due()).toBe(true);
    ask.ask();
    expect(browser.prompts).toBe(0);
    expect(await ask.settle()).toBe(true);
  });

  it('stays open when the unlock failed: the next successful one settles it', async () => {
    const { browser, flag, ask } = setUp();
    ask.ask();
    // A wrong passphrase: no settle yet, and no second prompt at the retry.
    ask.ask();
    expect(browser.prompts).toBe(1);
    expect(flag.value).toBe(false);
    expect(await ask.settle()).toBe(true);
  });

  it('offers nothing where push cannot work, after a choice by hand, or with nothing asked', async () => {
    const unsupported = setUp();
    unsupported.browser.supported = false;
    expect(unsupported.ask.due()).toBe(false);
    unsupported.ask.ask();
    expect(unsupported.browser.prompts).toBe(0);

    expect(setUp(true).ask.due()).toBe(false);

    const byHand = setUp();
    byHand.ask.answered();
    expect(byHand.ask.due()).toBe(false);
    expect(await byHand.ask.settle()).toBe(false);
  });

  it('counts a prompt that throws as closed', async () => {
    const { browser, ask } = setUp();
    browser.requestPermission = () => Promise.reject(new Error('no prompt here'));
    ask.ask();
    expect(await ask.settle()).toBe(false);
  });
});
