import { stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';

/** Paths that belong to the API: they never fall back to the web client. */
export function isApiPath(path: string): boolean {
  return path === '/v1' || path.startsWith('/v1/') || path.startsWith('/.well-known/');
}

/**
 * The file under `root` that a URL path names, or undefined when there is none
 * (then the client's index.html answers, for client-side routes). Paths that
 * try to leave `root` name nothing.
 */
export async function resolveWebFile(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return undefined;
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  if (relative === '' || relative.split(sep).includes('..') || decoded.includes('\0')) {
    return undefined;
  }
  try {
    const info = await stat(join(root, relative));
    return info.isFile() ? relative : undefined;
  } catch {
    return undefined;
  }
}

/** Built files with a content hash in their name never change; everything else is revalidated. */
export function cacheControlFor(relative: string): string {
  return /[.-][A-Z0-9]{8,}\.(js|css|woff2?|svg|png|webp)$/.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache';
}
