import type { DnsAnswer, DnsRecord } from '@netlab/grader/netmodel';
import { dnsServerAnswers, resolveAsWritten } from '../net/dns-server';
import { DNS_TIMEOUT_MS, nameserver } from '../net/host-lookup';
import type { DnsClient } from '../shell-host';
import { SIGINT_STATUS, type Tool, type ToolContext } from '../tool-context';

const USAGE =
  'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n' +
  'Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n';

/**
 * `nslookup HOST [SERVER]` as the image's own client does it (`host.dnsClient`): busybox 1.29+
 * (its resolver sends a dotted name as written, so `kubernetes.default` is NXDOMAIN in a pod),
 * busybox 1.28 (the C library's resolver with the search list, and its `Address 1:` layout), or
 * bind's (dnsutils, netshoot). A SERVER with no DNS server behind it times out.
 */
export const nslookupTool: Tool = async (ctx) => {
  const client: DnsClient = ctx.host.dnsClient ?? 'busybox';
  const positional = ctx.args.filter((a) => !a.startsWith('-'));
  const name = positional[0];
  if (name === undefined) {
    if (client === 'bind') return 0; // bind's nslookup goes interactive; stdin is closed here.
    ctx.stderr(USAGE);
    return 1;
  }
  const server = positional[1] ?? nameserver(ctx.host);
  const answer = dnsServerAnswers(ctx.host, server)
    ? query(ctx, client, name)
    : ({ query: name, rcode: 'SERVFAIL', records: [] } satisfies DnsAnswer);
  if (answer.rcode === 'SERVFAIL') {
    if (!(await ctx.clock.sleep(DNS_TIMEOUT_MS, ctx.signal))) return SIGINT_STATUS;
    if (client === 'busybox-1.28') {
      ctx.stdout(`${legacyServer(ctx, server)}\n`);
      ctx.stderr(`nslookup: can't resolve '${name}'\n`);
    } else {
      ctx.stdout(';; connection timed out; no servers could be reached\n\n');
    }
    return 1;
  }
  const found = answer.rcode === 'NOERROR' && answer.records.length > 0;
  if (client === 'busybox-1.28') return legacyLayout(ctx, server, name, found ? answer.records : []);
  const port = client === 'bind' ? `#53` : `:53`;
  let out = `Server:\t\t${server}\nAddress:\t${server}${port}\n\n`;
  if (answer.rcode === 'NOERROR' && answer.records.length === 0) {
    // NODATA (an ExternalName to a missing name): the name exists but has no records. Both clients
    // print the name they asked for and exit 0; busybox reports its A and its AAAA query.
    const line = `*** Can't find ${(answer.fqdn ?? name).replace(/\.$/, '')}: No answer\n\n`;
    ctx.stdout(out + (client === 'bind' ? line : line + line));
    return 0;
  }
  if (!found) {
    const line = `** server can't find ${name}: NXDOMAIN\n\n`;
    // busybox asks for A and AAAA and reports each; bind reports the name once.
    ctx.stdout(out + (client === 'bind' ? line : line + line));
    return 1;
  }
  if (client === 'bind' && answer.fqdn && !answer.fqdn.replace(/\.$/, '').endsWith('.cluster.local')) {
    out += 'Non-authoritative answer:\n';
  }
  const dot = (v: string) => (client === 'bind' ? v.replace(/([^.])$/, '$1.') : v);
  for (const r of answer.records) {
    if (r.type === 'CNAME') out += `${r.name}\tcanonical name = ${dot(r.value)}\n`;
    else if (r.type === 'PTR') out += `${r.name}\tname = ${dot(r.value)}\n`;
    else if (r.type === 'A' || r.type === 'AAAA') out += `Name:\t${r.name}\nAddress: ${r.value}\n`;
    else out += `${r.name}\tservice = ${r.value}\n`;
  }
  ctx.stdout(`${out}\n`);
  return 0;
};

/** The query each client sends: busybox 1.29+ sends a dotted name as written; the others search. */
function query(ctx: ToolContext, client: DnsClient, name: string): DnsAnswer {
  const reverse = reverseName(name);
  if (reverse) return ctx.host.resolve(reverse);
  if (client === 'busybox' && name.includes('.')) return resolveAsWritten(ctx.host, name);
  return ctx.host.resolve(name);
}

/** busybox 1.28's layout: `Address 1: IP NAME`, the name from a reverse lookup when there is one. */
function legacyLayout(ctx: ToolContext, server: string, name: string, records: DnsRecord[]): number {
  const addresses = records.filter((r) => r.type === 'A' || r.type === 'AAAA');
  const ptr = records.find((r) => r.type === 'PTR');
  if (!addresses.length && !ptr) {
    ctx.stdout(`${legacyServer(ctx, server)}\n`);
    ctx.stderr(`nslookup: can't resolve '${name}'\n`);
    return 1;
  }
  let out = `${legacyServer(ctx, server)}\nName:      ${name}\n`;
  if (ptr) out += `Address 1: ${name} ${ptr.value.replace(/\.$/, '')}\n`;
  addresses.forEach((r, i) => {
    out += `Address ${i + 1}: ${withName(ctx, r.value)}\n`;
  });
  ctx.stdout(out);
  return 0;
}

function legacyServer(ctx: ToolContext, server: string): string {
  return `Server:    ${server}\nAddress 1: ${withName(ctx, server)}\n`;
}

/** `10.96.0.1 kubernetes.default.svc.cluster.local`, or the bare IP when it has no PTR record. */
function withName(ctx: ToolContext, ip: string): string {
  const reverse = reverseName(ip);
  const ptr = reverse ? ctx.host.resolve(reverse).records.find((r) => r.type === 'PTR') : undefined;
  return ptr ? `${ip} ${ptr.value.replace(/\.$/, '')}` : ip;
}

/** `10.96.0.1` → `1.0.96.10.in-addr.arpa`; undefined for names. */
export function reverseName(text: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return m ? `${m[4]}.${m[3]}.${m[2]}.${m[1]}.in-addr.arpa` : undefined;
}
