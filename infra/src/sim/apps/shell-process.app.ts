import type { ServerHandler, ServerSocket } from '../shell/shell-host';
import type { AppContext, AppHttpRequest, AppInstance, AppListener, AppModel } from './app-model';

const SHELLS = /^(\/(usr\/)?bin\/)?(sh|ash|bash|zsh|dash)$/;

/**
 * A container whose main process is a program of the emulated shell (`sh -c '…'`, `sleep 3600`,
 * `wget -qO- http://web`, `httpd -f -p 8080`): the kubelet runs `main` through the same
 * interpreter and tools as `kubectl exec`, its output becomes the container log and its exit code
 * the container's. The sockets it opens and the files it writes live here, shared with exec'd
 * shells and the dataplane.
 */
export class ShellProcessInstance implements AppInstance {
  readonly listeners: AppListener[] = [];
  readonly processes: AppInstance['processes'];
  readonly startupLogs: string[] = [];
  /** A shell or busybox applet as PID 1 has no SIGTERM handler: the kubelet waits the grace period. */
  readonly handlesSigterm = false;
  readonly files: Record<string, string> = {};
  readonly interactiveShell: boolean;
  private readonly servers: Array<{ socket: ServerSocket; handler: ServerHandler }> = [];
  /** Called when a socket opens or closes (the dataplane re-reads the listeners). */
  onListenersChanged: () => void = () => {};

  constructor(
    /** The argv the kubelet runs as PID 1. */
    readonly main: string[],
    ctx: Pick<AppContext, 'stdin'>,
  ) {
    this.processes = [{ user: 'root', command: main.join(' ') }];
    // `kubectl run -it -- sh`: a bare shell with stdin waits for the attach, which runs it.
    this.interactiveShell = main.length === 1 && SHELLS.test(main[0]!) && ctx.stdin;
  }

  /** Opens a socket for the process; returns its close function. */
  listen(socket: ServerSocket, handler: ServerHandler): () => void {
    const entry = { socket, handler };
    const listener: AppListener = { address: socket.address, port: socket.port, protocol: socket.protocol };
    this.servers.push(entry);
    this.listeners.push(listener);
    this.onListenersChanged();
    return () => {
      const i = this.servers.indexOf(entry);
      if (i < 0) return;
      this.servers.splice(i, 1);
      this.listeners.splice(this.listeners.indexOf(listener), 1);
      this.onListenersChanged();
    };
  }

  http(port: number, request: AppHttpRequest): ReturnType<NonNullable<AppInstance['http']>> {
    for (const s of this.servers) {
      if (s.socket.port !== port) continue;
      const answer = s.handler(request);
      if (answer) return answer;
    }
    return undefined;
  }
}

/** Starts a shell-ish image's argv as a process of the emulated shell. */
export function startShellProcess(argv: string[], ctx: AppContext): ShellProcessInstance {
  return new ShellProcessInstance(argv, ctx);
}

/** Shell images (busybox, alpine, debian, netshoot, …): the command is a process of the emulated shell. */
export const shellApp: AppModel = {
  name: 'shell',
  matches: () => false,
  entrypoint: [],
  cmd: ['sh'],
  start: (argv, ctx) => startShellProcess(argv, ctx),
};
