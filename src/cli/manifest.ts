import { readFile } from 'node:fs/promises';
import { code } from '../message/markup.js';

/** The request URL placeholder that ships in `manifest.yml`. */
export const PLACEHOLDER_REQUEST_URL = 'https://example.com/slack/events';

/** The shipped manifest: two levels up from both `src/cli/` and `dist/cli/`. */
export const SHIPPED_MANIFEST = new URL('../../manifest.yml', import.meta.url);

/**
 * The request URL Slack should call for a given base: `https://host` becomes
 * `https://host/slack/events`; a URL with its own path is kept as it is. Returns a problem
 * sentence instead when the URL will not do.
 */
export function requestUrlFor(base: string): { url: string } | { problem: string } {
  if (!URL.canParse(base)) return { problem: `${code(base)} is not a URL; write it like https://s3-chatops.example.org` };
  const url = new URL(base);
  if (url.protocol !== 'https:') return { problem: `Slack only calls https:// request URLs, not ${url.protocol}//` };
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/slack/events';
  return { url: url.toString() };
}

/** The Slack app manifest with every request URL pointed at `requestUrl` (comments kept). */
export function manifestWithUrl(manifest: string, requestUrl?: string): string {
  return requestUrl === undefined ? manifest : manifest.split(PLACEHOLDER_REQUEST_URL).join(requestUrl);
}

/** Reads the shipped `manifest.yml`. */
export async function readShippedManifest(path: URL | string = SHIPPED_MANIFEST): Promise<string> {
  return readFile(path, 'utf8');
}
