/** The query parameter that carries where a person was going when a guard sent them elsewhere (e.g. to unlock). */
export const RETURN_PARAM = 'next';

/**
 * `value` when it is a path inside the chat screens (`/chats` or `/chats/...`), else
 * null. Only same-app paths are followed, so a crafted link cannot send someone off
 * the site (`//evil.example`, `https:...`) after they type their passphrase.
 */
export function safeReturnUrl(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || !/^\/chats(?:[/?#]|$)/.test(value) || value.includes('\\') || value.startsWith('//')) {
    return null;
  }
  return value;
}

/**
 * The query parameters that bring a person back to `url` after they unlock: `{ next: url }`
 * for a chat path (safeReturnUrl), nothing for `/chats` itself (where unlocking lands
 * anyway) or for anything else.
 */
export function returnParams(url: string | null | undefined): Record<string, string> {
  const going = safeReturnUrl(url);
  return going === null || going === '/chats' ? {} : { [RETURN_PARAM]: going };
}
