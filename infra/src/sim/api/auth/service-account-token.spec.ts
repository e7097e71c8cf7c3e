import { describe, expect, it } from 'vitest';
import {
  issueServiceAccountToken,
  SERVICE_ACCOUNT_ISSUER,
  verifyServiceAccountToken,
  type TokenBinding,
} from './service-account-token';

const NOW = Date.parse('2026-12-01T10:00:00Z');

function aBinding(overrides: Partial<TokenBinding> = {}): TokenBinding {
  return {
    namespace: 'shop',
    serviceAccount: { name: 'default', uid: 'sa-uid' },
    pod: { name: 'client', uid: 'pod-uid' },
    node: { name: 'kind-worker', uid: 'node-uid' },
    ...overrides,
  };
}

const part = (token: string, i: number) =>
  JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe(issueServiceAccountToken.name, () => {
  it('should write the claims a kubelet-mounted token has when bound to a pod and node', () => {
    const sut = issueServiceAccountToken(aBinding(), NOW);

    expect(sut.split('.')).toHaveLength(3);
    expect(part(sut, 0)).toMatchObject({ alg: 'ES256' });
    const claims = part(sut, 1);
    expect(claims).toMatchObject({
      aud: [SERVICE_ACCOUNT_ISSUER],
      iss: SERVICE_ACCOUNT_ISSUER,
      sub: 'system:serviceaccount:shop:default',
      iat: NOW / 1000,
      nbf: NOW / 1000,
      exp: NOW / 1000 + 365 * 24 * 3600,
      'kubernetes.io': {
        namespace: 'shop',
        serviceaccount: { name: 'default', uid: 'sa-uid' },
        pod: { name: 'client', uid: 'pod-uid' },
        node: { name: 'kind-worker', uid: 'node-uid' },
        warnafter: NOW / 1000 + 3607,
      },
    });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe(`${issueServiceAccountToken.name} for a TokenRequest`, () => {
  it('should expire after the requested lifetime without a warnafter when given one', () => {
    const sut = part(issueServiceAccountToken(aBinding({ pod: undefined, node: undefined }), NOW, 600), 1);

    expect(sut.exp).toBe(NOW / 1000 + 600);
    expect(sut['kubernetes.io']).toEqual({
      namespace: 'shop',
      serviceaccount: { name: 'default', uid: 'sa-uid' },
    });
  });
});

describe(verifyServiceAccountToken.name, () => {
  it('should return the claims when the token was issued by this process and is in its lifetime', () => {
    const token = issueServiceAccountToken(aBinding(), NOW);

    const sut = verifyServiceAccountToken(token, NOW + 1000);

    expect(sut?.sub).toBe('system:serviceaccount:shop:default');
  });

  it('should refuse a token whose claims were edited after signing', () => {
    const [h, , s] = issueServiceAccountToken(aBinding(), NOW).split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...part(issueServiceAccountToken(aBinding(), NOW), 1), sub: 'system:admin' }),
    ).toString('base64url');

    expect(verifyServiceAccountToken(`${h}.${forged}.${s}`, NOW)).toBeUndefined();
  });

  it('should refuse a token when it has expired, is not a JWT or is unsigned', () => {
    const token = issueServiceAccountToken(aBinding(), NOW);
    const [h, p] = token.split('.');

    expect(verifyServiceAccountToken(token, NOW + 366 * 24 * 3600 * 1000)).toBeUndefined();
    expect(verifyServiceAccountToken('not-a-jwt', NOW)).toBeUndefined();
    expect(verifyServiceAccountToken(`${h}.${p}.`, NOW)).toBeUndefined();
  });
});
