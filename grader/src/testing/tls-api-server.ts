import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** A real HTTPS server with a fresh self-signed certificate, counting the TLS connections clients open. */
export interface TlsApiServer {
  url: string;
  /** A kubeconfig for `url` that trusts only this server's certificate, with token `secret`. */
  kubeconfig(): KubeConfig;
  /** TLS handshakes completed so far (one per new connection). */
  handshakes(): number;
  /** Connections still open on the server side. */
  openConnections(): number;
  server: Server;
  close(): Promise<void>;
}

/** Starts a TLS API server on a free port; `handle` answers (or never answers) each request. */
export async function startTlsApiServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TlsApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'netlab-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1'],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'));
    const key = readFileSync(join(dir, 'key.pem'));
    const server = createServer({ cert, key }, handle);
    server.keepAliveTimeout = 60_000; // idle connections stay open unless the client closes them
    let handshakes = 0;
    const open = new Set<Socket>();
    server.on('secureConnection', (socket: Socket) => {
      handshakes++;
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      url,
      server,
      handshakes: () => handshakes,
      openConnections: () => open.size,
      kubeconfig: () => {
        const kc = new KubeConfig();
        kc.loadFromOptions({
          clusters: [{ name: 'c', server: url, caData: cert.toString('base64') }],
          users: [{ name: 'u', token: 'secret' }],
          contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
          currentContext: 'x',
        });
        return kc;
      },
      close: () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
