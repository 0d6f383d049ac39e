import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';

import { Account, type Stage } from './account';

/** Each stage's own screen, where any other screen sends a person. */
const HOME: Record<Exclude<Stage, 'loading'>, string> = {
  none: '/',
  locked: '/unlock',
  unregistered: '/register',
  ready: '/chats',
};

/** Lets a route open only at the given stages; otherwise redirects to the stage's own screen. */
export function onlyAt(...stages: Stage[]): CanActivateFn {
  return async () => {
    const account = inject(Account);
    const router = inject(Router);
    await account.ready;
    const stage = account.stage();
    return stages.includes(stage) || stage === 'loading' ? true : router.parseUrl(HOME[stage]);
  };
}
