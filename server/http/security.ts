/**
 * The security basics every response and upgrade gets: a Content-Security-Policy (no inline script,
 * nothing framed, the websocket and assets from this origin only), `nosniff` and a referrer policy;
 * the websocket's Origin check (a page on another site must not drive a guest's tab); and the
 * optional bearer token in front of `/metrics`, compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The page's policy. Scripts only from this origin (the built page has no inline script; the audio
 * worklet is a file of its own); styles may be inline (the sandbox checkout page carries its own
 * <style>, React sets style attributes); images may be data:/blob: URLs (QR code, three.js
 * textures); the websocket is same-origin (`'self'` covers ws: and wss: to this host). The browser
 * never talks to a cloud provider directly — the server does — so no provider is listed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers set on every HTTP response (the page, the sandbox checkout, health, metrics, webhooks). */
export const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
} as const satisfies Record<string, string>;

/** `https://maya.example/` → `https://maya.example`; null for something that is not a URL. */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * May this websocket upgrade go ahead? Yes without an Origin header (not a browser: the load bench,
 * a kiosk agent), when the Origin is the page's own (its host is the Host the request was sent to),
 * or when it is one of `allowed` (MAYA_PUBLIC_URL, MAYA_ALLOWED_ORIGINS). Anything else is another
 * site's page trying to open a socket in the guest's browser.
 */
export function originAllowed(
  req: Pick<IncomingMessage, 'headers'>,
  allowed: readonly string[],
): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  if (req.headers.host !== undefined && host === req.headers.host.toLowerCase()) return true;
  return allowed.includes(origin.toLowerCase().replace(/\/+$/, ''));
}

/** The origins named by MAYA_PUBLIC_URL and MAYA_ALLOWED_ORIGINS (comma-separated), normalised. */
export function allowedOrigins(publicUrl: string | undefined, extra: string | undefined): string[] {
  const urls = [publicUrl, ...(extra ?? '').split(',')].map((u) => u?.trim() ?? '').filter(Boolean);
  return urls.flatMap((u) => originOf(u) ?? []);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Does `Authorization: Bearer <token>` carry `token`? Compared as digests: no timing, no length leak. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const given = digest(match?.[1] ?? '');
  return timingSafeEqual(given, digest(token)) && match !== null;
}
