import type { Routes } from '@angular/router';

import { onlyAt } from './core/guards';

export const routes: Routes = [
  {
    path: 'chats',
    canActivate: [onlyAt('ready')],
    loadComponent: () => import('./features/chat/chat-shell').then((m) => m.ChatShell),
    children: [
      {
        path: '',
        title: 'Chats · KEZ chat',
        loadComponent: () => import('./features/chat/chat-empty').then((m) => m.ChatEmpty),
      },
      {
        // A handle (or, for a sender without one, their key).
        path: ':peer',
        title: 'Chat · KEZ chat',
        loadComponent: () => import('./features/chat/thread').then((m) => m.Thread),
      },
    ],
  },
  {
    path: '',
    loadComponent: () => import('./shared/page-frame/page-frame').then((m) => m.PageFrame),
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: 'KEZ chat',
        canActivate: [onlyAt('none')],
        loadComponent: () => import('./features/welcome/welcome').then((m) => m.Welcome),
      },
      {
        path: 'create',
        title: 'Create your identity · KEZ chat',
        canActivate: [onlyAt('none', 'locked')],
        loadComponent: () => import('./features/onboarding/create-identity').then((m) => m.CreateIdentity),
      },
      {
        path: 'restore',
        title: 'Restore your identity · KEZ chat',
        canActivate: [onlyAt('none', 'locked')],
        loadComponent: () => import('./features/onboarding/restore-identity').then((m) => m.RestoreIdentity),
      },
      {
        path: 'unlock',
        title: 'Unlock · KEZ chat',
        canActivate: [onlyAt('locked')],
        loadComponent: () => import('./features/onboarding/unlock').then((m) => m.Unlock),
      },
      {
        path: 'settings',
        title: 'Settings · KEZ chat',
        canActivate: [onlyAt('ready')],
        loadComponent: () => import('./features/settings/settings').then((m) => m.Settings),
      },
      {
        path: 'register',
        title: 'Choose your handle · KEZ chat',
        canActivate: [onlyAt('unregistered')],
        loadComponent: () => import('./features/onboarding/register-handle').then((m) => m.RegisterHandle),
      },
      {
        // The server answers every unknown non-API path with index.html, so any URL lands here.
        path: '**',
        title: 'Page not found · KEZ chat',
        loadComponent: () => import('./features/not-found/not-found').then((m) => m.NotFound),
      },
    ],
  },
];
