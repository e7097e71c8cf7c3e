import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ShellConnector } from '../shell-connector';
import { TerminalAccess } from '../terminal-access';
import { TerminalGateway } from '../terminal.gateway';
import { DEFAULT_TERMINAL_LIMITS, type TerminalLimits } from '../terminal-limits';
import { TerminalRegistry } from '../terminal.registry';
import { FakeCohortAccess, FakeSessionResolver, FakeTargetResolver } from './terminal-fakes';

/** The gateway on a small HTTP server (port 0) over fakes of auth and attempts. */
export interface TerminalTestServer {
  server: Server;
  origin: string;
  sessions: FakeSessionResolver;
  cohorts: FakeCohortAccess;
  targets: FakeTargetResolver;
  registry: TerminalRegistry;
  /** ws:// URL of a terminal. */
  url(attemptId: string, terminalId: string): string;
  close(): Promise<void>;
}

/** Starts the gateway with `connector` (a fake, or the real exec into a cluster). */
export async function startTerminalTestServer(
  connector: ShellConnector,
  limits: Partial<TerminalLimits> = {},
): Promise<TerminalTestServer> {
  const sessions = new FakeSessionResolver();
  const cohorts = new FakeCohortAccess();
  const targets = new FakeTargetResolver(cohorts);
  const registry = new TerminalRegistry(connector, targets, { ...DEFAULT_TERMINAL_LIMITS, ...limits });
  const server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const gateway = new TerminalGateway(
    new TerminalAccess(sessions, cohorts, targets, registry, 'https://netlab.example.test'),
    registry,
  );
  gateway.listen(server);
  return {
    server,
    origin,
    sessions,
    cohorts,
    targets,
    registry,
    url: (attemptId, terminalId) =>
      `ws://127.0.0.1:${port}/api/attempts/${attemptId}/terminals/${terminalId}/ws`,
    close: async () => {
      gateway.close(server);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
