export * from './constants';
export * from './errors';
export * from './ascii';
export * from './handle';
export type * from './responses';
export * from './receipt';
export * from './backoff';
