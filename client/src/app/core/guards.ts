import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';

import { Account, type Stage } from './account';
import { returnParams } from './return-url';

/** Each stage's own screen, where any other screen sends a person. */
const HOME: Record<Exclude<Stage, 'loading'>, string> = {
  none: '/',
  locked: '/unlock',
  unregistered: '/register',
  ready: '/chats',
};

/**
 * Lets a route open only at the given stages; otherwise redirects to the stage's own
 * screen. A locked person heading for a chat link is sent to unlock with that link in
 * `?next=`, so unlocking lands where they were going.
 */
export function onlyAt(...stages: Stage[]): CanActivateFn {
  return async (_route, state) => {
    const account = inject(Account);
    const router = inject(Router);
    await account.ready;
    const stage = account.stage();
    if (stages.includes(stage) || stage === 'loading') {
      return true;
    }
    return router.createUrlTree([HOME[stage]], { queryParams: stage === 'locked' ? returnParams(state.url) : {} });
  };
}
