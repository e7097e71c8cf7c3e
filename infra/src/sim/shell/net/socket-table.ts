import type { Listener } from '@netlab/grader/netmodel';
import type { ShellHost } from '../shell-host';

/** A listening socket as ss and netstat show it. */
export interface SocketRow {
  proto: 'tcp' | 'udp';
  /** `0.0.0.0`, `127.0.0.1`, `::`, ... */
  address: string;
  port: number;
  ipv6: boolean;
  /** The owning process, when it is in this container's PID namespace (else ss/netstat show none). */
  pid?: number;
  program?: string;
}

/**
 * The pod's listening sockets (one network namespace for all its containers). Each belongs to the
 * main process of the container that opened it, which ss/netstat can name only when that process
 * is in this container's PID namespace: its own, or the target's after `kubectl debug --target`.
 */
export function listeningSockets(host: ShellHost): SocketRow[] {
  const ownerOf = (l: Listener) => {
    const mine = host.processes.filter(
      (p) => (p.container ?? host.container) === (l.container ?? host.container),
    );
    return mine.length ? mine.reduce((a, b) => (a.pid <= b.pid ? a : b)) : undefined;
  };
  return host.listeners
    .filter((l: Listener) => l.protocol !== 'SCTP')
    .map((l) => {
      const owner = ownerOf(l);
      const program = ((owner?.command.split(/\s+/)[0] ?? '').split('/').pop() ?? '').slice(0, 15);
      return {
        proto: l.protocol === 'UDP' ? 'udp' : 'tcp',
        address: l.address === '' ? '0.0.0.0' : l.address,
        port: l.port,
        ipv6: l.address.includes(':'),
        ...(owner ? { pid: owner.pid, program } : {}),
      };
    });
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
