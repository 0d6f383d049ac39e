// What a Settings switch (setting-switch.ts) shows and whether it takes a click,
// worked out from its owner's inputs and the change under way; framework-free, so the
// rules are tested without a browser (switch-state.spec.ts).

/**
 * Why a switch takes no click now, as a code (the view puts it in words):
 * - `checking`: its real state is not known yet (still being read);
 * - `applying`: the change asked through the switch is under way;
 * - `saving`: a change its owner started elsewhere is under way;
 * - null: it is ready, or its owner disabled it for a reason the owner states.
 */
export type SwitchWait = 'checking' | 'applying' | 'saving' | null;

export interface SwitchInputs {
  /** The real state; null while it is not known yet. */
  readonly checked: boolean | null;
  /** The state a click through the switch asked for, while that change runs; null otherwise. */
  readonly requested: boolean | null;
  /** A change of the state started elsewhere (by the switch's owner) is under way. */
  readonly saving: boolean;
  /** The owner refuses clicks for a reason of its own (no picture yet, notifications blocked), which its text gives. */
  readonly disabled: boolean;
}

export interface SwitchShown {
  /** Whether the box shows on: the state asked for while it is being saved, else the real state (off while unknown). */
  readonly on: boolean;
  readonly disabled: boolean;
  readonly wait: SwitchWait;
}

/**
 * What the switch shows. It takes a click only once its state is known and no change
 * is under way, so a click can never be lost by landing on a state that is about to
 * be replaced: every click it takes either changes the state or ends with a reason.
 */
export function switchShown(inputs: SwitchInputs): SwitchShown {
  const wait: SwitchWait = inputs.checked === null ? 'checking' : inputs.requested !== null ? 'applying' : inputs.saving ? 'saving' : null;
  return {
    on: inputs.requested ?? inputs.checked ?? false,
    disabled: wait !== null || inputs.disabled,
    wait,
  };
}

/**
 * Runs one change asked through the switch; resolves with the reason it failed
 * (`apply`'s rejection in `failure`'s words) or null when it was done. Never rejects,
 * so the switch always ends its "saving" wait.
 */
export async function applySwitch(
  on: boolean,
  apply: (on: boolean) => Promise<void>,
  failure: (error: unknown, on: boolean) => string,
): Promise<string | null> {
  try {
    await apply(on);
    return null;
  } catch (error) {
    return failure(error, on);
  }
}
