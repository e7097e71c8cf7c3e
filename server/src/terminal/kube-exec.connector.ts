import { Readable, Writable } from 'node:stream';
import { Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import type WebSocket from 'ws';
import type { ShellChannel, ShellConnector, ShellHandlers } from './shell-connector';
import type { TerminalSize } from './terminal-frame.codec';
import type { TerminalTarget } from './terminal-target';

/** The toolbox's login shell: the same on the sim and in the real image (bash reads ~/.bashrc). */
export const SHELL_COMMAND = ['bash', '-l'];

const STDIN = 0;
const RESIZE = 4;

/**
 * Opens the shell with client-node's `Exec` (WebSocket `v5.channel.k8s.io`, TTY), the same way for
 * every provider. Output pauses by pausing the exec WebSocket's socket, so TCP carries the
 * backpressure to the API server and on to the container's PTY. Input and resizes are sent on
 * channels 0 and 4 here (not through client-node's stdin piping) so queued input is counted.
 */
export class KubeExecConnector implements ShellConnector {
  constructor(private readonly command: string[] = SHELL_COMMAND) {}

  async open(target: TerminalTarget, size: TerminalSize, handlers: ShellHandlers): Promise<ShellChannel> {
    const kc = new KubeConfig();
    kc.loadFromString(target.kubeconfig);
    let status: V1Status | undefined;
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        handlers.output(chunk);
        done();
      },
    });
    // client-node asks for stdin only when given a stream; this one never yields (input goes by send()).
    const stdin = new Readable({ read() {} });
    const ws = (await new Exec(kc).exec(
      target.namespace,
      target.pod,
      target.container,
      this.command,
      stdout,
      null,
      stdin,
      true,
      (s) => (status = s),
    )) as unknown as WebSocket;
    let pending = 0;
    const send = (channel: number, data: Buffer): void => {
      if (ws.readyState !== ws.OPEN) return;
      pending += data.length;
      ws.send(Buffer.concat([Buffer.from([channel]), data]), () => {
        pending -= data.length;
        if (pending === 0) handlers.inputDrained();
      });
    };
    const resize = (s: TerminalSize): void =>
      send(RESIZE, Buffer.from(JSON.stringify({ Width: s.cols, Height: s.rows })));
    ws.on('close', () => {
      stdin.destroy();
      handlers.exit(...exitOf(status));
    });
    resize(size);
    return {
      write: (data) => send(STDIN, data),
      get pendingInput() {
        return pending;
      },
      resize,
      pause: () => ws.pause(),
      resume: () => ws.resume(),
      close: () => ws.terminate(),
    };
  }
}

/** The exit status from the exec's final Status (absent when the stream was cut). */
function exitOf(status: V1Status | undefined): [number | null, string?] {
  if (!status) return [null, 'the connection to the toolbox closed'];
  if (status.status === 'Success') return [0];
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause && /^\d+$/.test(cause.message ?? '')) return [Number(cause.message)];
  return [null, status.message ?? 'the shell failed'];
}
