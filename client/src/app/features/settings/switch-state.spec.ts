import { applySwitch, type SwitchInputs, switchShown } from './switch-state';

const ready: SwitchInputs = { checked: false, requested: null, saving: false, disabled: false };

describe('switchShown', () => {
  it('takes no click while its state is unknown, and says it is checking', () => {
    expect(switchShown({ ...ready, checked: null })).toEqual({ on: false, disabled: true, wait: 'checking' });
    // Unknown wins over a change started elsewhere: there is nothing to show as saved yet.
    expect(switchShown({ ...ready, checked: null, saving: true })).toEqual({ on: false, disabled: true, wait: 'checking' });
  });

  it('takes a click once the state is known, showing that state', () => {
    expect(switchShown(ready)).toEqual({ on: false, disabled: false, wait: null });
    expect(switchShown({ ...ready, checked: true })).toEqual({ on: true, disabled: false, wait: null });
  });

  it('shows the state asked for while it is saved, and takes no second click meanwhile', () => {
    expect(switchShown({ ...ready, requested: true })).toEqual({ on: true, disabled: true, wait: 'applying' });
    expect(switchShown({ ...ready, checked: true, requested: false })).toEqual({ on: false, disabled: true, wait: 'applying' });
    // Its owner's busy flag for that same change does not change what it says.
    expect(switchShown({ ...ready, requested: true, saving: true })).toEqual({ on: true, disabled: true, wait: 'applying' });
  });

  it('waits for a change its owner started elsewhere, showing the real state', () => {
    expect(switchShown({ ...ready, checked: true, saving: true })).toEqual({ on: true, disabled: true, wait: 'saving' });
  });

  it('goes back to the real state once the change ended, whether it was done or failed', () => {
    // Done: the owner's state followed the click.
    expect(switchShown({ ...ready, checked: true })).toMatchObject({ on: true, disabled: false });
    // Failed: the state did not move, and the switch does not pretend it did.
    expect(switchShown({ ...ready, checked: false })).toMatchObject({ on: false, disabled: false });
  });

  it("is disabled for its owner's own reason without a wait of its own", () => {
    expect(switchShown({ ...ready, disabled: true })).toEqual({ on: false, disabled: true, wait: null });
  });
});

describe('applySwitch', () => {
  const words = (error: unknown, on: boolean) => `${on ? 'not on' : 'not off'}: ${(error as Error).message}`;

  it('resolves null when the change was done, having asked for the state clicked', async () => {
    const asked: boolean[] = [];
    await expect(
      applySwitch(
        true,
        async (on) => {
          asked.push(on);
        },
        words,
      ),
    ).resolves.toBeNull();
    expect(asked).toEqual([true]);
  });

  it('resolves with the reason in words when the change failed, and never rejects', async () => {
    await expect(applySwitch(false, () => Promise.reject(new Error('storage refused')), words)).resolves.toBe('not off: storage refused');
  });
});
