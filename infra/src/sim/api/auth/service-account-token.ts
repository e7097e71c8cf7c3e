import { createHash, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

/** Who a ServiceAccount token was issued to, as the kubelet's TokenRequest binds it. */
export interface TokenBinding {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  pod?: { name: string; uid: string };
  node?: { name: string; uid: string };
}

/** The claims of a projected ServiceAccount token (the layout kube-apiserver 1.33 issues). */
export interface ServiceAccountClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  nbf: number;
  sub: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    node?: { name: string; uid: string };
    warnafter?: number;
  };
}

/** The issuer and audience kind's kube-apiserver uses (`--service-account-issuer`). */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** The kubelet asks for 3607 s and the API server extends it to a year (`--service-account-extend-token-expiration`). */
const EXTENDED_LIFETIME_S = 365 * 24 * 3600;
const WARN_AFTER_S = 3607;

let signer: { privateKey: KeyObject; publicKey: KeyObject; kid: string } | undefined;

/** The per-process signing key (ECDSA P-256; kubeadm's sa.key is RSA, but the token's shape is the same). */
function tokenSigner(): NonNullable<typeof signer> {
  if (!signer) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    signer = { privateKey, publicKey, kid: createHash('sha256').update(spki).digest('base64url') };
  }
  return signer;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A JWT as the kubelet mounts (or, with `lifetimeS`, as a TokenRequest such as `kubectl create
 * token` returns) at /var/run/secrets/kubernetes.io/serviceaccount/token: the real
 * claim layout (`sub` system:serviceaccount:NS:NAME, `kubernetes.io` with the pod and node it is
 * bound to), signed ES256 with a key that never leaves this process, so only tokens the sim issued
 * authenticate.
 */
export function issueServiceAccountToken(binding: TokenBinding, nowMs: number, lifetimeS?: number): string {
  const { privateKey, kid } = tokenSigner();
  const iat = Math.floor(nowMs / 1000);
  const claims: ServiceAccountClaims = {
    aud: [SERVICE_ACCOUNT_ISSUER],
    exp: iat + (lifetimeS ?? EXTENDED_LIFETIME_S),
    iat,
    iss: SERVICE_ACCOUNT_ISSUER,
    jti: randomUUID(),
    'kubernetes.io': {
      namespace: binding.namespace,
      ...(binding.node ? { node: binding.node } : {}),
      ...(binding.pod ? { pod: binding.pod } : {}),
      serviceaccount: binding.serviceAccount,
      ...(lifetimeS === undefined ? { warnafter: iat + WARN_AFTER_S } : {}),
    },
    nbf: iat,
    sub: `system:serviceaccount:${binding.namespace}:${binding.serviceAccount.name}`,
  };
  const input = `${b64({ alg: 'ES256', kid })}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** The claims of a token this process issued, if its signature holds and it is within its lifetime. */
export function verifyServiceAccountToken(token: string, nowMs: number): ServiceAccountClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: tokenSigner().publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ServiceAccountClaims;
    const now = Math.floor(nowMs / 1000);
    if (typeof claims.exp !== 'number' || now >= claims.exp || now < (claims.nbf ?? 0) - 60) return undefined;
    if (!claims.aud?.includes(SERVICE_ACCOUNT_ISSUER) || !claims['kubernetes.io']?.serviceaccount)
      return undefined;
    return claims;
  } catch {
    return undefined;
  }
}
