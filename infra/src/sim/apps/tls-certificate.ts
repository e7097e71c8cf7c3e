import { X509Certificate } from 'node:crypto';

/** What a TLS server presents in its handshake: its certificate chain as served, leaf first. */
export interface ServerTls {
  /** The PEM text of the served certificate file (leaf, then any intermediates). */
  chainPem: string;
}

/** Why a chain does not verify, with OpenSSL 3's verify code and wording (what curl prints). */
export interface VerifyFailure {
  code: number;
  text: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificates of a PEM file in order; those that do not parse are left out. */
export function parsePemChain(pem: string): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const block of pem.match(PEM_BLOCK) ?? []) {
    try {
      out.push(new X509Certificate(block));
    } catch {
      // Not a certificate OpenSSL would load either.
    }
  }
  return out;
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

const selfSigned = (c: X509Certificate) => issuedBy(c, c);

/**
 * Verifies a served chain against trusted CA certificates as OpenSSL's X509_verify_cert does:
 * build the path from the leaf through the served intermediates to a trusted certificate, then
 * check every certificate's validity period (from the top down). Undefined when it verifies.
 */
export function verifyChain(
  chain: X509Certificate[],
  trusted: X509Certificate[],
  now: Date,
): VerifyFailure | undefined {
  const leaf = chain[0];
  if (!leaf) return { code: 20, text: 'unable to get local issuer certificate' };
  const isTrusted = (c: X509Certificate) => trusted.some((t) => t.fingerprint256 === c.fingerprint256);
  const path = [leaf];
  for (let cur = leaf; path.length <= 10;) {
    if (isTrusted(cur) && selfSigned(cur)) break;
    const anchor = trusted.find((t) => issuedBy(cur, t));
    if (anchor) {
      if (anchor.fingerprint256 !== cur.fingerprint256) path.push(anchor);
      break;
    }
    if (selfSigned(cur)) {
      return path.length === 1
        ? { code: 18, text: 'self-signed certificate' }
        : { code: 19, text: 'self-signed certificate in certificate chain' };
    }
    const next = chain.find((c) => c !== cur && !path.includes(c) && issuedBy(cur, c));
    if (!next) return { code: 20, text: 'unable to get local issuer certificate' };
    path.push(next);
    cur = next;
  }
  for (const cert of [...path].reverse()) {
    if (now.getTime() < Date.parse(cert.validFrom)) return { code: 9, text: 'certificate is not yet valid' };
    if (now.getTime() > Date.parse(cert.validTo)) return { code: 10, text: 'certificate has expired' };
  }
  return undefined;
}

/** A certificate's DNS and IP subjectAltNames. */
export function subjectAltNames(cert: X509Certificate): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  for (const part of (cert.subjectAltName ?? '').split(/,\s*/)) {
    if (part.startsWith('DNS:')) dns.push(part.slice(4));
    else if (part.startsWith('IP Address:')) ip.push(part.slice(11));
  }
  return { dns, ip };
}

/** An RDN value of a DN as node prints it (`CN=web\nO=acme`). */
export function dnField(dn: string, field: string): string | undefined {
  return dn
    .split('\n')
    .find((l) => l.startsWith(`${field}=`))
    ?.slice(field.length + 1);
}

/** A DN the way curl prints it: `C=US; O=Acme; CN=web`. */
export function curlDn(dn: string): string {
  return dn.split('\n').filter(Boolean).join('; ');
}

function wildcardMatch(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  if (!p.startsWith('*.')) return false;
  const rest = p.slice(1);
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot) === rest && rest.split('.').length > 2;
}

/**
 * How curl checks the certificate against the host it connected to (its `verifyhost`): the
 * subjectAltNames when there are any (IP entries for an address, DNS entries otherwise), else
 * the subject's CN. `matched` is what curl -v prints on success; `error` what it fails with.
 */
export function checkHostName(
  cert: X509Certificate,
  host: string,
  isAddress: boolean,
): { matched: string } | { error: string } {
  const sans = subjectAltNames(cert);
  const hasSans = sans.dns.length > 0 || sans.ip.length > 0;
  if (hasSans) {
    if (isAddress) {
      if (sans.ip.includes(host))
        return { matched: `*  subjectAltName: host "${host}" matched cert's IP address!` };
    } else {
      const hit = sans.dns.find((d) => wildcardMatch(d, host));
      if (hit) return { matched: `*  subjectAltName: host "${host}" matched cert's "${hit}"` };
    }
    return { error: `SSL: no alternative certificate subject name matches target host name '${host}'` };
  }
  const cn = dnField(cert.subject, 'CN');
  if (cn !== undefined && !isAddress && wildcardMatch(cn, host))
    return { matched: `*  common name: ${cn} (matched)` };
  return {
    error: `SSL: certificate subject name '${cn ?? ''}' does not match target host name '${host}'`,
  };
}
