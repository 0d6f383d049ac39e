import { config } from 'rxjs';

import { dropAnsweredStoreErrors, StoreUnavailable } from './store-unavailable';

describe(dropAnsweredStoreErrors.name, () => {
  beforeAll(() => dropAnsweredStoreErrors());

  it('drops a StoreUnavailable that no subscriber handles, as the relay engine’s cache subscription leaves it', () => {
    expect(() => config.onUnhandledError!(new StoreUnavailable('error: events could not be read right now; try again'))).not.toThrow();
  });

  it('still throws every other unhandled error, as RxJS does by default', () => {
    expect(() => config.onUnhandledError!(new Error('a bug'))).toThrow('a bug');
  });

  it('installs once however many stores are built', () => {
    const hook = config.onUnhandledError;
    dropAnsweredStoreErrors();
    expect(config.onUnhandledError).toBe(hook);
  });
});
