import type { ExecResult } from '../kube/kube-client';

/** What a client in the cluster saw when it tried to connect. */
export type ConnectOutcome = 'connected' | 'refused' | 'blocked' | 'unreachable' | 'nxdomain' | 'error';

/** An HTTP answer, or the reason there was none. */
export type HttpObservation =
  | { kind: 'response'; status: number; body: string }
  | { kind: 'failure'; outcome: Exclude<ConnectOutcome, 'connected'>; message: string };

/** Seconds a client waits for a connection, from the check's timeout: short enough to retry within it. */
export function networkTimeoutSeconds(checkTimeoutMs: number): number {
  return Math.max(1, Math.min(3, Math.floor(checkTimeoutMs / 3000)));
}

/**
 * `curl` printing the status line and headers (`-i`) so one exec gives status and body. A connect
 * that takes longer than `connectTimeoutMs` counts as dropped (inside a cluster a handshake takes
 * milliseconds); the whole request may take `timeoutSeconds`.
 */
export function httpCommand(
  url: string,
  timeoutSeconds: number,
  connectTimeoutMs = 1000,
  headers: Record<string, string> = {},
  insecure = false,
): string[] {
  const connect = String(Math.max(0.05, Math.min(connectTimeoutMs / 1000, timeoutSeconds)));
  const h = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const k = insecure ? ['-k'] : [];
  return [
    'curl',
    '-sS',
    '-i',
    ...k,
    '--connect-timeout',
    connect,
    '--max-time',
    String(timeoutSeconds),
    ...h,
    url,
  ];
}

/** Reads what {@link httpCommand} printed. curl's exit codes tell the failure apart (6, 7, 28). */
export function parseHttp(result: ExecResult): HttpObservation {
  if (result.exitCode === 0) {
    const text = result.stdout;
    const statuses = [...text.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)];
    const status = Number(statuses.at(-1)?.[1]);
    const split = /\r?\n\r?\n/.exec(text);
    const body = split ? text.slice(split.index + split[0].length) : '';
    if (Number.isInteger(status)) return { kind: 'response', status, body };
    return { kind: 'failure', outcome: 'error', message: `no HTTP status line in the answer: ${clip(text)}` };
  }
  const message =
    firstLine(result.stderr) || firstLine(result.stdout) || `curl exited with ${result.exitCode}`;
  return { kind: 'failure', outcome: curlOutcome(result.exitCode, message), message };
}

function curlOutcome(exitCode: number, message: string): Exclude<ConnectOutcome, 'connected'> {
  if (exitCode === 6 || /resolve host/i.test(message)) return 'nxdomain';
  if (exitCode === 28 || /timed out|timeout/i.test(message)) return 'blocked';
  if (/refused/i.test(message)) return 'refused';
  if (exitCode === 7 && /no route|unreachable/i.test(message)) return 'unreachable';
  if (exitCode === 7) return 'refused';
  if (exitCode === 124) return 'blocked';
  return 'error';
}

/** `nc` in zero-I/O mode: connect, report, close; `-vv` because busybox nc reports a refusal only then. */
export function tcpCommand(host: string, port: number, timeoutSeconds: number): string[] {
  return ['nc', '-z', '-vv', '-w', String(timeoutSeconds), host, String(port)];
}

/** Reads what {@link tcpCommand} printed. */
export function parseTcp(result: ExecResult): { outcome: ConnectOutcome; message: string } {
  const message =
    firstLine(`${result.stderr}\n${result.stdout}`.trim()) || `nc exited with ${result.exitCode}`;
  if (result.exitCode === 0) return { outcome: 'connected', message };
  if (/refused/i.test(message)) return { outcome: 'refused', message };
  if (/timed out|timeout|in progress/i.test(message) || result.exitCode === 124) {
    return { outcome: 'blocked', message };
  }
  if (/no route|unreachable/i.test(message)) return { outcome: 'unreachable', message };
  if (/resolve|not known|name or service|bad address/i.test(message)) return { outcome: 'nxdomain', message };
  return { outcome: 'error', message };
}

/** `nslookup`, which every debugging image has. */
export function dnsCommand(name: string): string[] {
  return ['nslookup', name];
}

/** Reads what {@link dnsCommand} printed: the addresses, or why there are none. */
export function parseDns(result: ExecResult): {
  outcome: 'resolves' | 'nxdomain' | 'error';
  addresses: string[];
  message: string;
} {
  const text = `${result.stdout}\n${result.stderr}`;
  // Addresses after the first "Name:" line; the ones before belong to the DNS server itself.
  const answer = text.slice(Math.max(0, text.search(/^Name:/m)));
  const addresses = /^Name:/m.test(text)
    ? [...answer.matchAll(/^Address(?: \d+)?:\s*([0-9a-fA-F.:]+)(?:#\d+)?\s*$/gm)].map((m) => m[1]!)
    : [];
  if (result.exitCode === 0 && addresses.length) {
    return { outcome: 'resolves', addresses, message: `resolves to ${addresses.join(', ')}` };
  }
  if (result.exitCode === 124) {
    return { outcome: 'error', addresses: [], message: 'no answer from the DNS server (timed out)' };
  }
  if (/NXDOMAIN|can't find|server can't find|not found/i.test(text)) {
    return {
      outcome: 'nxdomain',
      addresses: [],
      message: firstLine(text.match(/.*(NXDOMAIN|can't find).*/i)?.[0] ?? 'NXDOMAIN'),
    };
  }
  return {
    outcome: 'error',
    addresses: [],
    message:
      firstLine(result.stderr) ||
      firstLine(text.match(/.*(timed out|no servers).*/i)?.[0] ?? '') ||
      `nslookup exited with ${result.exitCode}`,
  };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? ''
  );
}

/** Shortens observed output for evidence. */
export function clip(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
