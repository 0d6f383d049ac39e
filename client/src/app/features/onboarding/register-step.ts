/**
 * How the screen before tells "Choose your handle" which step it is: the label travels
 * in the navigation's state (`{ registerStep: "Step 4 of 4" }`), so the count a flow
 * promised is the count it keeps, and the browser's history keeps it across a reload.
 */
export const REGISTER_STEP = 'registerStep';

/** The step label in a navigation state, or null when there is none (or it is not text). */
export function registerStepFrom(state: unknown): string | null {
  const value = typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[REGISTER_STEP] : undefined;
  return typeof value === 'string' ? value : null;
}
