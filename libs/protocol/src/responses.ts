// The JSON the server answers with (docs/protocol.md §4), as plain types shared by
// the server and the client. The request DTOs that validate what the server is sent
// are class-validator classes and live beside the server's controllers.

export interface HealthResponse {
  status: 'ok';
  server: string;
  version: string;
}

export type CheckState = 'ok' | 'down' | 'disabled';

export interface ReadyResponse {
  status: 'ok' | 'unavailable';
  checks: Record<string, CheckState>;
}

export interface PostMessageResponse {
  seq: number;
  created_at: number;
}

export interface StoredMessage {
  seq: number;
  envelope: Record<string, unknown>;
  created_at: number;
}

export interface InboxPage {
  messages: StoredMessage[];
  next: number;
}

/** What the server knows about a handle: the 201 of registration and every lookup. */
export interface HandleRecord {
  handle: string;
  server: string;
  primary: string;
  addr: string;
  created_at: number;
}

export interface VapidPublicKeyResponse {
  publicKey: string;
}

export interface PushCheckResponse {
  subscribed: boolean;
}
