import { config } from 'rxjs';

/** A database failure, with a message that is safe to send to a client. */
export class StoreUnavailable extends Error {}

let installed = false;

/**
 * Keeps a failed relay read from ending the process. @nostr-relay/core shares each
 * filter's read between the REQ, which answers `CLOSED` with the error, and a second
 * subscription of its own that fills its result cache and has no error handler
 * (`EventService.findByFilter$`). RxJS reports an error that no subscriber handles
 * by throwing it from a timer, an uncaught exception: one failed database read took
 * the whole server down. A StoreUnavailable has been logged and answered by then, so
 * it is dropped; any other unhandled error is still thrown, as RxJS would.
 */
export function dropAnsweredStoreErrors(): void {
  if (installed) {
    return;
  }
  installed = true;
  const previous = config.onUnhandledError;
  config.onUnhandledError = (error: unknown) => {
    if (error instanceof StoreUnavailable) {
      return;
    }
    if (previous) {
      previous(error);
      return;
    }
    throw error;
  };
}
