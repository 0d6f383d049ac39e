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
