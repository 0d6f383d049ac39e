/** Tiny JSON-over-HTTP helper for black-box tests: status, headers and parsed body. */
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function http<T = any>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<HttpResult<T>> {
  const { json, ...rest } = init;
  const response = await fetch(url, {
    ...rest,
    headers: { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...(rest.headers as Record<string, string>) },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await response.text();
  let body: any = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** Asserts the contract's error JSON shape and returns the code. */
export function errorCode(result: HttpResult): string {
  const error = result.body?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || Object.keys(result.body).length !== 1) {
    throw new Error(`not the contract's error JSON (status ${result.status}): ${result.text}`);
  }
  return error.code;
}
