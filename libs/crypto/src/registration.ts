import { REGISTER_PAYLOAD_TYPE } from '@kez/protocol';

import type { Identity } from './identity';
import { type Signature, signPayload } from './signing';

export interface RegisterPayload {
  type: typeof REGISTER_PAYLOAD_TYPE;
  handle: string;
  server: string;
  primary: string;
  addr: string;
  created_at: number;
}

export interface RegisterRequest {
  payload: RegisterPayload;
  signature: Signature;
}

/**
 * The body of POST /v1/register: the identity's primary and addr under `handle@server`,
 * signed by the primary over JCS(payload). `overrides` replace payload fields before
 * signing (tests use it to build well-signed requests with bad content).
 */
export function buildRegisterRequest(
  identity: Identity,
  handle: string,
  server: string,
  createdAt: number,
  overrides: Partial<RegisterPayload> = {},
): RegisterRequest {
  const payload: RegisterPayload = {
    type: REGISTER_PAYLOAD_TYPE,
    handle,
    server,
    primary: identity.primary,
    addr: identity.addr,
    created_at: createdAt,
    ...overrides,
  };
  return { payload, signature: signPayload(payload, identity.edSecret) };
}
