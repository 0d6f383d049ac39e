/** `<input>` types where typing or pasting does not insert text. */
const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'color', 'file', 'hidden', 'image', 'radio', 'range', 'reset', 'submit']);

/**
 * True when `target` (an event's target, usually the focused element) takes typed
 * or pasted text: a textarea, a text-like `<input>`, or editable content. Pages that
 * handle paste themselves leave those alone so paste keeps its normal meaning there.
 */
export function takesText(target: EventTarget | null): boolean {
  if (target instanceof HTMLTextAreaElement) {
    return true;
  }
  if (target instanceof HTMLInputElement) {
    return !NON_TEXT_INPUTS.has(target.type);
  }
  return target instanceof HTMLElement && target.isContentEditable;
}
