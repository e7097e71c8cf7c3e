import type { AppInstance, AppListener } from './app-model';
import { goLogTime } from './http-util';

const WILDCARDS = new Set(['0.0.0.0', '::']);

/**
 * The listeners of `wanted` that another process of the same network namespace already holds: same
 * protocol and port, and the same address or a wildcard on either side (what bind() refuses with
 * EADDRINUSE, errno 98).
 */
export function takenListeners(wanted: AppListener[], held: AppListener[]): AppListener[] {
  return wanted.filter((w) =>
    held.some(
      (h) =>
        h.protocol === w.protocol &&
        h.port === w.port &&
        (h.address === w.address || WILDCARDS.has(h.address) || WILDCARDS.has(w.address)),
    ),
  );
}

function hostPort(l: AppListener): string {
  return l.address.includes(':') ? `[${l.address}]:${l.port}` : `${l.address}:${l.port}`;
}

const PYTHON_TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "<frozen runpy>", line 198, in _run_module_as_main',
  '  File "<frozen runpy>", line 88, in _run_code',
  '  File "/usr/local/lib/python3.12/http/server.py", line 1314, in <module>',
  '    test(',
  '  File "/usr/local/lib/python3.12/http/server.py", line 1261, in test',
  '    with ServerClass(addr, HandlerClass) as httpd:',
  '         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/usr/local/lib/python3.12/socketserver.py", line 457, in __init__',
  '    self.server_bind()',
  '  File "/usr/local/lib/python3.12/http/server.py", line 1308, in server_bind',
  '    return super().server_bind()',
  '           ^^^^^^^^^^^^^^^^^^^^^',
  '  File "/usr/local/lib/python3.12/http/server.py", line 136, in server_bind',
  '    socketserver.TCPServer.server_bind(self)',
  '  File "/usr/local/lib/python3.12/socketserver.py", line 473, in server_bind',
  '    self.socket.bind(self.server_address)',
  'OSError: [Errno 98] Address already in use',
];

/**
 * The app as it runs when a port it binds is already taken in its pod: it listens on nothing, logs
 * what the real program prints and exits 1, so the kubelet shows Error and then CrashLoopBackOff.
 * nginx retries its binds five times, half a second apart, before giving up; the others fail at once.
 */
export function failedToBind(
  model: string | undefined,
  app: AppInstance,
  taken: AppListener[],
  now: number,
): AppInstance {
  const first = taken[0]!;
  const base = { ...app, listeners: [], http: undefined, periodicLog: undefined };
  if (model === 'nginx') {
    // Everything up to "Configuration complete", then the bind errors of each of the five tries.
    const entry = app.startupLogs.filter((l) => !/^\d{4}\/\d\d\/\d\d /.test(l));
    const lines: string[] = [...entry];
    for (let attempt = 0; attempt < 5; attempt++) {
      const t = goLogTime(now + attempt * 500);
      for (const l of taken) {
        const message = `bind() to ${hostPort(l)} failed (98: Address already in use)`;
        lines.push(`${t} [emerg] 1#1: ${message}`, `nginx: [emerg] ${message}`);
      }
    }
    const t = goLogTime(now + 2500);
    lines.push(`${t} [emerg] 1#1: still could not bind()`, 'nginx: [emerg] still could not bind()');
    return { ...base, startupLogs: lines, exit: { afterMs: 2500, code: 1 } };
  }
  if (model === 'python') return { ...base, startupLogs: PYTHON_TRACEBACK, exit: { afterMs: 50, code: 1 } };
  const listen = `${first.protocol === 'UDP' ? 'udp' : 'tcp'} ${first.address === '0.0.0.0' ? '' : first.address}:${first.port}`;
  const error = `listen ${listen}: bind: address already in use`;
  const line =
    model === 'http-echo'
      ? `${goLogTime(now)} [ERR] Error starting server: ${error}`
      : `${goLogTime(now)} ${error}`;
  return { ...base, startupLogs: [...app.startupLogs, line], exit: { afterMs: 0, code: 1 } };
}
