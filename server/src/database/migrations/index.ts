import { CreateHandles1764000000000 } from './1764000000000-create-handles';

/** Every migration, oldest first. They run at start; `synchronize` is never used. */
export const MIGRATIONS = [CreateHandles1764000000000];
