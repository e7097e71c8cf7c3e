import type { Listener } from '@netlab/grader/netmodel';
import type { ShellHost } from '../shell-host';

/** A listening socket as ss and netstat show it. */
export interface SocketRow {
  proto: 'tcp' | 'udp';
  /** `0.0.0.0`, `127.0.0.1`, `::`, ... */
  address: string;
  port: number;
  ipv6: boolean;
  pid: number;
  program: string;
}

/** The pod's listening sockets, owned by its main process (pid 1). */
export function listeningSockets(host: ShellHost): SocketRow[] {
  const main = host.processes.find((p) => p.pid === 1) ?? host.processes[0];
  const program = (main?.command.split(/\s+/)[0] ?? '').split('/').pop() ?? '';
  return host.listeners
    .filter((l: Listener) => l.protocol !== 'SCTP')
    .map((l) => ({
      proto: l.protocol === 'UDP' ? 'udp' : 'tcp',
      address: l.address === '' ? '0.0.0.0' : l.address,
      port: l.port,
      ipv6: l.address.includes(':'),
      pid: main?.pid ?? 1,
      program: program.slice(0, 15),
    }));
}

/** Which kinds of socket `-t`/`-u`/`-l`/`-a` select. */
export interface SocketFilter {
  tcp: boolean;
  udp: boolean;
  listening: boolean;
  all: boolean;
}

/** Parses bundled flags (`-ltnp`) into a filter; unknown letters are reported. */
export function parseSocketFlags(args: string[], known: string): { flags: Set<string>; bad?: string } {
  const flags = new Set<string>();
  for (const arg of args) {
    if (!arg.startsWith('-')) return { flags, bad: arg };
    for (const c of arg.slice(1)) {
      if (!known.includes(c)) return { flags, bad: `-${c}` };
      flags.add(c);
    }
  }
  return { flags };
}
