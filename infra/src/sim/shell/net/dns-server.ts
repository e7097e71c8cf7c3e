import type { DnsAnswer } from '@netlab/grader/netmodel';
import type { ShellHost } from '../shell-host';
import { isIPv4, lookupHost, nameserver } from './host-lookup';

/**
 * Whether a DNS server answers at `server` (an IP or a name, as `nslookup NAME SERVER` and
 * `dig @SERVER` take it): the pod's own nameserver always does (its failures are the answer's
 * SERVFAIL); another address answers only when a UDP connection to its port 53 gets through — a
 * pod or node with no DNS server, or one a NetworkPolicy blocks, stays silent and the client times out.
 */
export function dnsServerAnswers(host: ShellHost, server: string): boolean {
  if (server === nameserver(host)) return true;
  const ip = isIPv4(server) ? server : lookupHost(host, server);
  const address = typeof ip === 'string' ? ip : ip.ok ? ip.ip : undefined;
  if (!address) return false;
  if (address === nameserver(host)) return true;
  return host.connect(address, 53, 'UDP').verdict === 'connected';
}

/**
 * A query for `name` exactly as written (no search list): an answer the pod's resolver found only by
 * appending a search suffix counts as NXDOMAIN, as the server would say for the bare name.
 */
export function resolveAsWritten(host: ShellHost, name: string): DnsAnswer {
  const bare = name.replace(/\.$/, '');
  const answer = host.resolve(bare);
  if (answer.rcode === 'NOERROR' && answer.fqdn && answer.fqdn.replace(/\.$/, '') !== bare) {
    return { query: name, rcode: 'NXDOMAIN', records: [] };
  }
  return answer;
}
