// Pictures are picked, dropped or pasted one after another faster than a big one is
// prepared (a 6000×4000 photo takes seconds, a small one milliseconds). The person
// means the last one they chose, so a preparation that finishes after a newer pick
// began is dropped instead of overwriting the newer picture.

/** What `LatestPick.take` resolves to when a newer pick began while this one was prepared. */
export const SUPERSEDED = Symbol('superseded');

/** Keeps only the result of the newest of overlapping picks, and counts the ones in flight. */
export class LatestPick {
  private newest = 0;
  private inFlight = 0;

  /** True while any pick is being prepared. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /**
   * Waits for `prepared`, started by a pick just now. Resolves to its value, or to
   * SUPERSEDED when a newer pick began meanwhile; a superseded pick's failure is
   * dropped too (the person no longer waits for it).
   * @throws what `prepared` rejects with, for the newest pick only.
   */
  async take<T>(prepared: Promise<T>): Promise<T | typeof SUPERSEDED> {
    const pick = ++this.newest;
    this.inFlight++;
    try {
      const value = await prepared;
      return pick === this.newest ? value : SUPERSEDED;
    } catch (error) {
      if (pick !== this.newest) {
        return SUPERSEDED;
      }
      throw error;
    } finally {
      this.inFlight--;
    }
  }
}
