import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  contextTag,
  namedBits,
  objectIdentifier,
  octetString,
  sequence,
  set,
  time,
  unsignedInteger,
  utf8String,
} from './der';

/** PEM material for one process: a CA that kubeconfigs trust, and a server certificate it signed. */
export interface SimTlsMaterial {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

let cached: SimTlsMaterial | undefined;
/** The CA's key, kept in memory so in-cluster serving certificates can be signed by the same CA. */
let caSigner: { key: KeyObject; keyId: Buffer; name: Buffer } | undefined;

/**
 * The per-process CA and the serving certificate for 127.0.0.1/localhost, made once and reused by
 * every cluster of this process. Both keys are ECDSA P-256 (what kubeadm offers as
 * `encryptionAlgorithm: ECDSA-P256`): generating one takes well under a millisecond, where an RSA
 * 2048 key took 50–400 ms, which was most of `netlab sim up`'s start. The keys never leave memory
 * except the server key handed to the TLS server; nothing is written to disk.
 */
export function processTls(): SimTlsMaterial {
  cached ??= makeTls();
  return cached;
}

/** The names the serving certificate is valid for. */
const SERVER_NAMES = ['localhost', 'kubernetes', 'kubernetes.default.svc', '127.0.0.1', '::1'];

const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/** keyUsage bit numbers (RFC 5280 §4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

function makeTls(): SimTlsMaterial {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = distinguishedName('netlab-sim-ca');
  const caKeyId = keyIdentifier(ca.publicKey);
  const caCert = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      extension(OID.basicConstraints, sequence(boolean(true)), true),
      extension(
        OID.keyUsage,
        namedBits([KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]),
        true,
      ),
      extension(OID.subjectKeyIdentifier, octetString(caKeyId)),
    ],
  });
  const serverCert = certificate({
    subject: distinguishedName('kube-apiserver'),
    issuer: caName,
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      extension(OID.basicConstraints, sequence(), true),
      extension(OID.keyUsage, namedBits([KEY_USAGE.digitalSignature]), true),
      extension(OID.extKeyUsage, sequence(objectIdentifier(OID.serverAuth))),
      extension(OID.subjectAltName, sequence(...SERVER_NAMES.map(generalName))),
      extension(OID.subjectKeyIdentifier, octetString(keyIdentifier(server.publicKey))),
      extension(OID.authorityKeyIdentifier, sequence(contextTag(0, caKeyId, 'implicit'))),
    ],
  });
  caSigner = { key: ca.privateKey, keyId: caKeyId, name: caName };
  return {
    caCert: pem('CERTIFICATE', caCert),
    serverCert: pem('CERTIFICATE', serverCert),
    serverKey: server.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

/**
 * A kube-apiserver serving certificate for `names` (DNS names and IPs), signed by the process CA
 * (the one kubeconfigs and Pods' `ca.crt` trust), as kubeadm's `apiserver.crt` is signed by the
 * cluster CA. The leaf PEM and its key.
 */
export function signServingCert(names: readonly string[]): { certPem: string; keyPem: string } {
  processTls();
  const signer = caSigner!;
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = certificate({
    subject: distinguishedName('kube-apiserver'),
    issuer: signer.name,
    publicKey: key.publicKey,
    signingKey: signer.key,
    extensions: [
      extension(OID.basicConstraints, sequence(), true),
      extension(OID.keyUsage, namedBits([KEY_USAGE.digitalSignature]), true),
      extension(OID.extKeyUsage, sequence(objectIdentifier(OID.serverAuth))),
      extension(OID.subjectAltName, sequence(...names.map(generalName))),
      extension(OID.subjectKeyIdentifier, octetString(keyIdentifier(key.publicKey))),
      extension(OID.authorityKeyIdentifier, sequence(contextTag(0, signer.keyId, 'implicit'))),
    ],
  });
  return {
    certPem: pem('CERTIFICATE', der),
    keyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

/** An X.509 v3 certificate valid from an hour ago for a year, signed ECDSA with SHA-256. */
function certificate(options: {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  signingKey: KeyObject;
  extensions: Buffer[];
}): Buffer {
  const signatureAlgorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const now = Date.now();
  const tbs = sequence(
    contextTag(0, unsignedInteger(Buffer.from([2])), 'explicit'), // v3
    unsignedInteger(Buffer.concat([Buffer.from([1]), randomBytes(15)])),
    signatureAlgorithm,
    options.issuer,
    sequence(time(new Date(now - 60 * 60 * 1000)), time(new Date(now + 365 * 24 * 60 * 60 * 1000))),
    options.subject,
    options.publicKey.export({ type: 'spki', format: 'der' }),
    contextTag(3, sequence(...options.extensions), 'explicit'),
  );
  // node:crypto's ECDSA signature is already the DER ECDSA-Sig-Value X.509 expects.
  return sequence(tbs, signatureAlgorithm, bitString(sign('sha256', tbs, options.signingKey)));
}

function distinguishedName(commonName: string): Buffer {
  return sequence(set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))));
}

function extension(oid: string, value: Buffer, critical = false): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** A subjectAltName entry: dNSName [2] or iPAddress [7]. */
function generalName(name: string): Buffer {
  const family = isIP(name);
  if (family === 0) return contextTag(2, Buffer.from(name, 'ascii'), 'implicit');
  const bytes =
    family === 4
      ? Buffer.from(name.split('.').map(Number))
      : Buffer.from(
          expandIpv6(name)
            .map((group) => [group >> 8, group & 0xff])
            .flat(),
        );
  return contextTag(7, bytes, 'implicit');
}

/** The eight 16-bit groups of an IPv6 address written with at most one `::`. */
function expandIpv6(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const groups = (part: string): number[] => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // For a P-256 key the BIT STRING is the last 66 bytes: 03 42 00 and the 65-byte point.
  return createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
