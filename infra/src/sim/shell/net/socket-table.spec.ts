import { describe, expect, it } from 'vitest';
import type { ShellHost } from '../shell-host';
import { listeningSockets } from './socket-table';

function aHost(processes: ShellHost['processes']): ShellHost {
  return {
    container: 'dbg',
    processes,
    listeners: [
      { namespace: 'default', pod: 'web', container: 'app', address: '::', port: 8000, protocol: 'TCP' },
      {
        namespace: 'default',
        pod: 'web',
        container: 'sidecar',
        address: '0.0.0.0',
        port: 9000,
        protocol: 'TCP',
      },
    ],
  } as unknown as ShellHost;
}

describe(listeningSockets.name, () => {
  it('should name the owner of a socket whose container shares the PID namespace (debug --target)', () => {
    const sut = listeningSockets(
      aHost([
        { pid: 1, user: 'root', command: 'python3 -m http.server 8000', container: 'app' },
        { pid: 2, user: 'root', command: 'sleep 3600', container: 'dbg' },
      ]),
    );
    expect(sut.map((s) => [s.port, s.pid, s.program])).toEqual([
      [8000, 1, 'python3'],
      [9000, undefined, undefined],
    ]);
  });

  it('should name no owner for sockets of other containers when the PID namespace is its own', () => {
    const sut = listeningSockets(aHost([{ pid: 1, user: 'root', command: 'sleep 3600', container: 'dbg' }]));
    expect(sut.every((s) => s.pid === undefined)).toBe(true);
  });
});
