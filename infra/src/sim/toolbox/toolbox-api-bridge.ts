import { chmodSync, chownSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';

/**
 * The toolbox's only way out of its network namespace: a unix socket (bound into the sandbox) whose
 * every connection is piped to this cluster's API at `host:port`, and nowhere else.
 */
export class ToolboxApiBridge {
  private constructor(private readonly server: Server) {}

  /** Listens on `path`, owned by `uid` (mode 0600) when given. */
  static async open(path: string, host: string, port: number, uid?: number): Promise<ToolboxApiBridge> {
    const server = createServer((client) => {
      const upstream = connect(port, host);
      client.pipe(upstream).pipe(client);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop);
      upstream.on('error', drop);
      client.on('close', drop);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    chmodSync(path, 0o600);
    if (uid !== undefined) chownSync(path, uid, uid);
    return new ToolboxApiBridge(server);
  }

  /** Stops accepting connections and drops the open ones. */
  close(): void {
    this.server.close();
  }
}

/** The host and port of a kubeconfig's server URL (`https://127.0.0.1:PORT`). */
export function apiEndpoint(kubeconfig: string): { host: string; port: number } {
  const m = /server:\s*https:\/\/([^:\s/]+):(\d+)/.exec(kubeconfig);
  if (!m) throw new Error('the toolbox kubeconfig names no https://host:port server');
  return { host: m[1]!, port: Number(m[2]) };
}
