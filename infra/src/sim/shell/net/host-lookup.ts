import type { DnsAnswer } from '@netlab/grader/netmodel';
import type { ToolContext } from '../tool-context';
import type { ShellHost } from '../shell-host';

/** The outcome of turning a host name into an address, as the C library's resolver would. */
export type HostLookup =
  | { ok: true; ip: string; answer?: DnsAnswer }
  /** `NXDOMAIN`: the name does not exist; `SERVFAIL`: the cluster DNS did not answer. */
  | { ok: false; rcode: 'NXDOMAIN' | 'SERVFAIL'; answer: DnsAnswer };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Whether `text` is a dotted IPv4 address. */
export function isIPv4(text: string): boolean {
  const m = IPV4.exec(text);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
}

/** Resolves like getaddrinfo: IP literals, then /etc/hosts, then the pod's DNS (search path applied). */
export function lookupHost(host: ShellHost, name: string): HostLookup {
  if (isIPv4(name)) return { ok: true, ip: name };
  const fromHosts = hostsFileEntry(host.files['/etc/hosts'] ?? '', name);
  if (fromHosts) return { ok: true, ip: fromHosts };
  const answer = host.resolve(name);
  const a = answer.records.find((r) => r.type === 'A');
  if (answer.rcode === 'NOERROR' && a) return { ok: true, ip: a.value, answer };
  return { ok: false, rcode: answer.rcode === 'SERVFAIL' ? 'SERVFAIL' : 'NXDOMAIN', answer };
}

/** The IPv4 address /etc/hosts gives `name`, if any. */
function hostsFileEntry(text: string, name: string): string | undefined {
  if (name === 'localhost') return '127.0.0.1';
  for (const line of text.split('\n')) {
    const [ip, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (ip && isIPv4(ip) && names.includes(name)) return ip;
  }
  return undefined;
}

/** The nameserver /etc/resolv.conf names (CoreDNS's Service IP in a cluster). */
export function nameserver(host: ShellHost): string {
  const m = /^nameserver\s+(\S+)/m.exec(host.files['/etc/resolv.conf'] ?? '');
  return m?.[1] ?? '10.96.0.10';
}

/**
 * How long the C library's resolver waits on a DNS server that does not answer before giving up
 * (resolv.conf defaults: timeout:5, attempts:2).
 */
export const DNS_TIMEOUT_MS = 10_000;

/** A lookup that took the time a real one takes; `TIMEOUT` is the client's own timeout firing first. */
export type TimedLookup = HostLookup | { ok: false; rcode: 'TIMEOUT' | 'INTERRUPTED' };

/** Resolves like {@link lookupHost}, waiting out the resolver's timeout when cluster DNS does not answer. */
export async function lookupHostTimed(
  ctx: Pick<ToolContext, 'host' | 'clock' | 'signal'>,
  name: string,
  clientTimeoutMs?: number,
): Promise<TimedLookup> {
  const result = lookupHost(ctx.host, name);
  if (result.ok || result.rcode !== 'SERVFAIL') return result;
  const clientFirst = clientTimeoutMs !== undefined && clientTimeoutMs < DNS_TIMEOUT_MS;
  const completed = await ctx.clock.sleep(clientFirst ? clientTimeoutMs : DNS_TIMEOUT_MS, ctx.signal);
  if (!completed) return { ok: false, rcode: 'INTERRUPTED' };
  return clientFirst ? { ok: false, rcode: 'TIMEOUT' } : result;
}
