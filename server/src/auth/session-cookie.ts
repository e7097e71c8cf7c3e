import type { CookieOptions } from 'express';

/** The session cookie: a random token whose SHA-256 is the Session row's id. */
export const SESSION_COOKIE = 'netlab_session';
/** A random id that binds the CSRF token of a caller who has no session yet (login, register). */
export const PRESESSION_COOKIE = 'netlab_presession';

/** Reads one cookie from a raw `Cookie` header (no dependency: the WebSocket upgrade needs it too). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** httpOnly, SameSite=Lax, Secure when the platform is served over https. */
export function cookieOptions(publicUrl: string, expires?: Date): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: publicUrl.startsWith('https:'),
    path: '/',
    ...(expires ? { expires } : {}),
  };
}
