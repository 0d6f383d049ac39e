/** What the page can tell about where it runs; from `navigator` and `matchMedia` in the browser. */
export interface DisplayContext {
  readonly userAgent: string;
  /** `navigator.maxTouchPoints`: iPadOS reports itself as a Mac, but a touch one. */
  readonly maxTouchPoints: number;
  /** `(display-mode: standalone)` matches, or Safari's `navigator.standalone`. */
  readonly standalone: boolean;
}

/** iPhone, iPod or iPad (iPadOS 13+ says "Macintosh" but has touch). Every iOS browser is Safari underneath. */
export function isIos({ userAgent, maxTouchPoints }: DisplayContext): boolean {
  return /\b(iPhone|iPad|iPod)\b/.test(userAgent) || (/\bMacintosh\b/.test(userAgent) && maxTouchPoints > 1);
}

/**
 * True where push can only work after "Add to Home Screen": iOS and iPadOS give the
 * Push API to web apps opened from the Home Screen only (16.4+), never to a tab.
 */
export function needsHomeScreen(context: DisplayContext): boolean {
  return isIos(context) && !context.standalone;
}
