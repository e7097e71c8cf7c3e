import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { Logger } from '@nestjs/common';
import { WebSocketServer } from 'ws';
import { TerminalAccess, UpgradeRefusal } from './terminal-access';
import { TerminalConnection } from './terminal.connection';
import { TERMINAL_SUBPROTOCOL } from './terminal-frame.codec';
import type { TerminalRegistry } from './terminal.registry';
import { terminalMetrics } from './terminal.metrics';

/**
 * The terminal's WebSocket endpoint on the HTTP server's `upgrade` event:
 * `/api/attempts/:id/terminals/:terminalId/ws`. Refusals are plain HTTP answers given before the
 * upgrade, so no exec starts for anyone not allowed.
 */
export class TerminalGateway {
  private static readonly log = new Logger('TerminalGateway');
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // A paste arrives as one DATA frame; larger ones must be split by the client.
    maxPayload: 256 * 1024 + 1,
    handleProtocols: (offered) => (offered.has(TERMINAL_SUBPROTOCOL) ? TERMINAL_SUBPROTOCOL : false),
  });
  private readonly listener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (TerminalAccess.matches(req.url ?? '')) void this.upgrade(req, socket, head);
  };

  constructor(
    private readonly access: TerminalAccess,
    private readonly registry: TerminalRegistry,
  ) {}

  /** Starts answering terminal upgrades on `server`. */
  listen(server: Server): void {
    server.on('upgrade', this.listener);
  }

  /** Stops answering, closes the connections and ends every shell. */
  close(server?: Server): void {
    server?.off('upgrade', this.listener);
    for (const ws of this.wss.clients) ws.terminate();
    this.registry.closeAll();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    try {
      const grant = await this.access.decide({ url: req.url ?? '', headers: req.headers });
      if (socket.destroyed) return;
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        new TerminalConnection(ws, grant.access, grant.key, grant.target, this.registry);
      });
    } catch (error) {
      const refusal =
        error instanceof UpgradeRefusal
          ? error
          : new UpgradeRefusal(500, 'INTERNAL', 'the terminal could not be opened; try again in a moment');
      if (!(error instanceof UpgradeRefusal))
        TerminalGateway.log.error(`terminal upgrade failed: ${String(error)}`);
      terminalMetrics.refused.inc({ status: String(refusal.status) });
      const body = JSON.stringify({ code: refusal.code, message: refusal.message });
      socket.end(
        `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
  }
}
