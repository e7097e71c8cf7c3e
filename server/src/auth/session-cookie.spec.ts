import { describe, expect, it } from 'vitest';
import { cookieOptions, readCookie } from './session-cookie';

describe(readCookie.name, () => {
  it('should find one cookie among several and decode it', () => {
    expect(readCookie('a=1; netlab_session=abc%2Ddef; b=2', 'netlab_session')).toBe('abc-def');
    expect(readCookie('netlab_session_x=1', 'netlab_session')).toBeUndefined();
    expect(readCookie(undefined, 'netlab_session')).toBeUndefined();
    expect(readCookie('netlab_session=%E0%A4%A', 'netlab_session')).toBeUndefined();
  });
});

describe(cookieOptions.name, () => {
  it('should mark the cookie Secure only when the public URL is https', () => {
    expect(cookieOptions('https://labs.example.com')).toMatchObject({
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
    });
    expect(cookieOptions('http://127.0.0.1:8080')).toMatchObject({
      httpOnly: true,
      sameSite: 'lax',
      secure: false,
    });
  });
});
