import type { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'KEZ chat',
    loadComponent: () => import('./features/welcome/welcome').then((m) => m.Welcome),
  },
  {
    // The server answers every unknown non-API path with index.html, so any URL lands here.
    path: '**',
    title: 'Page not found · KEZ chat',
    loadComponent: () => import('./features/not-found/not-found').then((m) => m.NotFound),
  },
];
