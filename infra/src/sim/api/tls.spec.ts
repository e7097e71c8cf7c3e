import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { processTls } from './tls';

describe(processTls.name, () => {
  it('should issue an ECDSA P-256 CA and a server certificate it signed when first called', () => {
    const sut = processTls();

    const ca = new X509Certificate(sut.caCert);
    const server = new X509Certificate(sut.serverCert);
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.publicKey.asymmetricKeyType).toBe('ec');
    expect(server.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(server.subjectAltName).toBe(
      'DNS:localhost, DNS:kubernetes, DNS:kubernetes.default.svc, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(new Date(server.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(server.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
  });

  it('should return the same material when called again in the same process', () => {
    expect(processTls()).toBe(processTls());
  });

  it('should complete a TLS handshake that trusts only the CA when a client connects to 127.0.0.1', async () => {
    const sut = processTls();
    const server = createServer({ key: sut.serverKey, cert: sut.serverCert }, (socket) =>
      socket.end('hello'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const received = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, ca: sut.caCert }, () => {
          let data = '';
          socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
          socket.on('end', () => resolve(data));
        });
        socket.on('error', reject);
      });
      expect(received).toBe('hello');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('should refuse the handshake when the client trusts a different CA', async () => {
    const sut = processTls();
    const server = createServer({ key: sut.serverKey, cert: sut.serverCert }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const error = await new Promise<Error>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, ca: sut.serverCert }, () =>
          resolve(new Error('connected')),
        );
        socket.on('error', resolve);
      });
      expect((error as NodeJS.ErrnoException).code).toMatch(
        /UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET_ISSUER/,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
