import type { DnsAnswer, DnsRecord } from '@netlab/grader/netmodel';
import { dnsServerAnswers, resolveAsWritten } from '../net/dns-server';
import { nameserver } from '../net/host-lookup';
import { SIGINT_STATUS, type Tool, type ToolContext } from '../tool-context';
import { reverseName } from './nslookup.tool';

const TYPES = new Set(['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'ANY', 'MX', 'TXT', 'NS', 'SOA']);
const TTL = 30;

/**
 * dig 9.18: the full layout or `+short`. Like dig, it does not use the search list unless
 * `+search`: `dig web` asks for `web.`, which the cluster DNS does not know.
 */
export const digTool: Tool = async (ctx) => {
  let short = false;
  let search = false;
  let type = 'A';
  let typeSet = false;
  let server = nameserver(ctx.host);
  let name: string | undefined;
  for (let i = 0; i < ctx.args.length; i++) {
    const arg = ctx.args[i]!;
    if (arg === '+short') short = true;
    else if (arg === '+search') search = true;
    else if (arg.startsWith('+')) continue;
    else if (arg.startsWith('@')) server = arg.slice(1);
    else if (arg === '-x') {
      name = reverseName(ctx.args[++i] ?? '') ?? '';
      type = 'PTR';
    } else if (arg === '-t') {
      type = (ctx.args[++i] ?? 'A').toUpperCase();
      typeSet = true;
    } else if (TYPES.has(arg.toUpperCase()) && !typeSet) {
      // Like dig, the first word that is a record type is the type, before or after the name.
      type = arg.toUpperCase();
      typeSet = true;
    } else name = arg;
  }
  const header = `\n; <<>> DiG 9.18.25 <<>> ${ctx.args.join(' ')}\n`;
  if (name === undefined) name = '.';
  const answer = query(ctx, name, search, server);
  if (answer.rcode === 'SERVFAIL') {
    // dig's defaults: +time=5 +tries=3, each attempt reported as it times out.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!(await ctx.clock.sleep(5000, ctx.signal))) return SIGINT_STATUS;
      ctx.stdout(`;; communications error to ${server}#53: timed out\n`);
    }
    ctx.stdout(`${header};; global options: +cmd\n;; no servers could be reached\n\n`);
    return 9;
  }
  const records = answer.records.filter((r) => type === 'ANY' || r.type === type || r.type === 'CNAME');
  if (short) {
    ctx.stdout(
      records
        .map(
          (r) =>
            `${type === 'SRV' ? r.value : r.value.replace(/([^.])$/, r.type === 'CNAME' || r.type === 'PTR' ? '$1.' : '$1')}\n`,
        )
        .join(''),
    );
    return 0;
  }
  ctx.stdout(layout(ctx, header, fqdnOf(answer, name), type, answer.rcode, records, server));
  return 0;
};

function query(ctx: ToolContext, name: string, search: boolean, server: string): DnsAnswer {
  if (!dnsServerAnswers(ctx.host, server)) return { query: name, rcode: 'SERVFAIL', records: [] };
  if (search && !name.endsWith('.')) return ctx.host.resolve(name);
  return resolveAsWritten(ctx.host, name);
}

function fqdnOf(answer: DnsAnswer, name: string): string {
  const fq = answer.rcode === 'NOERROR' && answer.fqdn ? answer.fqdn : name;
  return fq.endsWith('.') ? fq : `${fq}.`;
}

function layout(
  ctx: ToolContext,
  header: string,
  fqdn: string,
  type: string,
  rcode: string,
  records: DnsRecord[],
  server: string,
): string {
  const inCluster = fqdn.endsWith('.cluster.local.');
  const id = [...fqdn].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 65536, 7);
  // NXDOMAIN and NODATA (NOERROR, no answer) both carry the zone's SOA in the authority section.
  const authority = rcode === 'NXDOMAIN' || (rcode === 'NOERROR' && records.length === 0) ? 1 : 0;
  const flags = inCluster ? 'qr aa rd' : 'qr rd ra';
  let out = `${header};; global options: +cmd\n;; Got answer:\n`;
  out += `;; ->>HEADER<<- opcode: QUERY, status: ${rcode}, id: ${id}\n`;
  out += `;; flags: ${flags}; QUERY: 1, ANSWER: ${records.length}, AUTHORITY: ${authority}, ADDITIONAL: 1\n`;
  if (inCluster) out += ';; WARNING: recursion requested but not available\n';
  out += '\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n';
  out += `;; QUESTION SECTION:\n;${fqdn}\t\tIN\t${type}\n\n`;
  if (records.length > 0) {
    out += ';; ANSWER SECTION:\n';
    for (const r of records) {
      const value = r.type === 'CNAME' || r.type === 'PTR' ? r.value.replace(/([^.])$/, '$1.') : r.value;
      out += `${r.name.replace(/([^.])$/, '$1.')}\t${TTL}\tIN\t${r.type}\t${value}\n`;
    }
    out += '\n';
  }
  if (authority) {
    out += ';; AUTHORITY SECTION:\n';
    out += inCluster
      ? `cluster.local.\t\t${TTL}\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 ${TTL}\n\n`
      : '.\t\t\t86400\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 2026010100 1800 900 604800 86400\n\n';
  }
  const size = 12 + fqdn.length + 5 + 11 + records.length * 16 + authority * 60;
  out += `;; Query time: 0 msec\n;; SERVER: ${server}#53(${server}) (UDP)\n`;
  out += `;; WHEN: ${whenLine(ctx.clock.date())}\n;; MSG SIZE  rcvd: ${size}\n\n`;
  return out;
}

/** dig's `WHEN:` date, e.g. `Sat Nov 21 20:04:51 UTC 2026`. */
function whenLine(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
