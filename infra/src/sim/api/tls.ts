import { constants, generateKeyPairSync, privateEncrypt, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** PEM material for one process: a CA that kubeconfigs trust, and a server certificate it signed. */
export interface SimTlsMaterial {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

let cached: SimTlsMaterial | undefined;

/**
 * The per-process CA and the serving certificate for 127.0.0.1/localhost, made once and reused by
 * every cluster of this process. Keys come from node:crypto (native, fast); node-forge signs.
 */
export function processTls(): SimTlsMaterial {
  cached ??= makeTls();
  return cached;
}

function makeTls(): SimTlsMaterial {
  const ca = keyPair();
  const caCert = certificate({
    subject: [{ name: 'commonName', value: 'netlab-sim-ca' }],
    issuer: [{ name: 'commonName', value: 'netlab-sim-ca' }],
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = keyPair();
  const serverCert = certificate({
    subject: [{ name: 'commonName', value: 'kube-apiserver' }],
    issuer: caCert.subject.attributes,
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: 'kubernetes' },
          { type: 2, value: 'kubernetes.default.svc' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return {
    caCert: forge.pki.certificateToPem(caCert),
    serverCert: forge.pki.certificateToPem(serverCert),
    serverKey: server.pem,
  };
}

/** DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017 §9.2). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

interface KeyPair {
  publicKey: forge.pki.rsa.PublicKey;
  /** A signer forge's `cert.sign` accepts, backed by node:crypto (native RSA instead of forge's JS). */
  privateKey: forge.pki.rsa.PrivateKey;
  pem: string;
}

function keyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const signer = {
    sign: (md: forge.md.MessageDigest): string =>
      privateEncrypt(
        { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
        Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')]),
      ).toString('binary'),
  };
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    privateKey: signer as unknown as forge.pki.rsa.PrivateKey,
    pem: privateKey,
  };
}

function certificate(options: {
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  publicKey: forge.pki.rsa.PublicKey;
  signingKey: forge.pki.rsa.PrivateKey;
  extensions: object[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  cert.setSubject(options.subject);
  cert.setIssuer(options.issuer);
  cert.setExtensions(options.extensions);
  cert.sign(options.signingKey, forge.md.sha256.create());
  return cert;
}
