import { isIP, isIPv4 } from 'node:net';
import { GraderError, GraderErrorCode } from '@netlab/grader/netmodel';
import type {
  ClusterState,
  Destination,
  Listener,
  Protocol,
  ReachQuery,
  Source,
} from '@netlab/grader/netmodel';

/** Bad command-line input: printed as one line, exit code 2. */
export class ReachInputError extends GraderError {
  constructor(message: string) {
    super(GraderErrorCode.INVALID_INPUT, message);
  }
}

/** `--from`: `ns/pod` or an IPv4 address. */
export function parseSource(text: string, flag = '--from'): Source {
  const value = text.trim();
  if (isIPv4(value)) return { ip: value };
  const parts = value.split('/');
  if (parts.length === 2 && parts[0] && parts[1]) return { pod: { namespace: parts[0], name: parts[1] } };
  throw new ReachInputError(`${flag} "${text}": expected ns/pod (e.g. shop/client-7d9f) or an IPv4 address`);
}

/** `--to`: `ns/pod`, an IP, `svc/ns/name`, or a DNS name (resolved from the source pod). */
export function parseDestination(text: string, flag = '--to'): Destination {
  const value = text.trim();
  if (isIP(value)) return { ip: value };
  const parts = value.split('/');
  if (parts.length === 3 && parts[0] === 'svc' && parts[1] && parts[2]) {
    return { service: { namespace: parts[1], name: parts[2] } };
  }
  if (parts.length === 2 && parts[0] && parts[1]) return { pod: { namespace: parts[0], name: parts[1] } };
  if (parts.length === 1 && /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9.])?$/.test(value)) return { dns: value };
  throw new ReachInputError(
    `${flag} "${text}": expected ns/pod, an IP address, svc/ns/name, or a DNS name such as web.shop.svc.cluster.local`,
  );
}

/** `--port`: 1-65535 or a port name. */
export function parsePort(text: string | number, flag = '--port'): number | string {
  const value = String(text).trim();
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    if (n >= 1 && n <= 65535) return n;
    throw new ReachInputError(`${flag} ${value} is out of range: a port is a whole number from 1 to 65535`);
  }
  if (/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(value) && /[a-z]/.test(value)) return value;
  throw new ReachInputError(
    `${flag} "${value}": expected a port number (1-65535) or a port name such as http`,
  );
}

/** `--protocol`: TCP, UDP or SCTP (any case). */
export function parseProtocol(text: string | undefined, flag = '--protocol'): Protocol {
  const value = (text ?? 'TCP').trim().toUpperCase();
  if (value === 'TCP' || value === 'UDP' || value === 'SCTP') return value;
  throw new ReachInputError(`${flag} "${text}": expected TCP, UDP or SCTP`);
}

/**
 * Listener hints, one a line: `ns/pod[:container] ADDRESS:PORT[/PROTOCOL]`, e.g.
 * `shop/web-1 127.0.0.1:8080/TCP` or `shop/web-1:nginx [::]:80`; `#` starts a comment.
 */
export function parseListenerHints(text: string, where: string, state: ClusterState): Listener[] {
  const pods = new Set(state.pods.map((p) => `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name}`));
  const hints: Listener[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const at = `${where}:${i + 1}`;
    const m =
      /^([^/\s]+)\/([^:\s]+)(?::(\S+))?\s+(\[[0-9a-fA-F:]*\]|[0-9.]+|\*|localhost):(\d+)(?:\/(\w+))?$/.exec(
        line,
      );
    if (!m) {
      throw new ReachInputError(
        `${at}: "${line}" is not a listener hint; expected ns/pod[:container] ADDRESS:PORT[/PROTOCOL], e.g. shop/web-1 127.0.0.1:8080/TCP`,
      );
    }
    const [, namespace, pod, container, address, port, protocol] = m as unknown as string[];
    if (!pods.has(`${namespace}/${pod}`))
      throw new ReachInputError(`${at}: Pod ${namespace}/${pod} is not in the cluster state`);
    const bare = address!.replace(/^\[|\]$/g, '');
    if (bare !== '*' && bare !== 'localhost' && !isIP(bare))
      throw new ReachInputError(`${at}: "${address}" is not an IP address`);
    hints.push({
      namespace: namespace!,
      pod: pod!,
      ...(container ? { container } : {}),
      address: bare === '*' ? '0.0.0.0' : bare,
      port: parsePort(port!, `${at}: port`) as number,
      protocol: parseProtocol(protocol, `${at}: protocol`),
    });
  });
  return hints;
}

/** One line of `--batch`: `{"from","to","port","protocol"}`, with from/to as flags spell them or as objects. */
export function parseBatchLine(line: string, lineNumber: number): ReachQuery {
  const where = `--batch line ${lineNumber}`;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ReachInputError(
      `${where}: not JSON; expected {"from":"ns/pod","to":"web.shop","port":80,"protocol":"TCP"}`,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ReachInputError(`${where}: expected a JSON object`);
  const q = value as { from?: unknown; to?: unknown; port?: unknown; protocol?: unknown };
  if (q.from === undefined || q.to === undefined || q.port === undefined) {
    throw new ReachInputError(`${where}: needs "from", "to" and "port"`);
  }
  const from = typeof q.from === 'string' ? parseSource(q.from, `${where}: from`) : (q.from as Source);
  const to = typeof q.to === 'string' ? parseDestination(q.to, `${where}: to`) : (q.to as Destination);
  return {
    from,
    to,
    port: parsePort(q.port as string | number, `${where}: port`),
    protocol: parseProtocol(q.protocol as string | undefined, `${where}: protocol`),
  };
}
