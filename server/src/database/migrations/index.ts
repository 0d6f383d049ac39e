import { CreateHandles1764000000000 } from './1764000000000-create-handles';
import { CreatePushSubscriptions1764300000000 } from './1764300000000-create-push-subscriptions';
import { CreateNostrSeen1764300000001 } from './1764300000001-create-nostr-seen';
import { CreateMessages1764400000000 } from './1764400000000-create-messages';
import { CreateRelayEvents1764500000000 } from './1764500000000-create-relay-events';
import { InsertMessagesFunction1764613000000 } from './1764613000000-insert-messages-function';

/** Every migration, oldest first. They run at start; `synchronize` is never used. */
export const MIGRATIONS = [
  CreateHandles1764000000000,
  CreatePushSubscriptions1764300000000,
  CreateNostrSeen1764300000001,
  CreateMessages1764400000000,
  CreateRelayEvents1764500000000,
  InsertMessagesFunction1764613000000,
];
