import { DNS_TIMEOUT_MS, nameserver } from '../net/host-lookup';
import { SIGINT_STATUS, type Tool } from '../tool-context';

/** busybox 1.36 nslookup: `Server:`/`Address:` then `Name:`/`Address:` lines, `** server can't find`. */
export const nslookupTool: Tool = async (ctx) => {
  const positional = ctx.args.filter((a) => !a.startsWith('-'));
  const name = positional[0];
  if (name === undefined) {
    ctx.stderr(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n' +
        'Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n',
    );
    return 1;
  }
  const server = positional[1] ?? nameserver(ctx.host);
  const answer = ctx.host.resolve(reverseName(name) ?? name);
  if (answer.rcode === 'SERVFAIL') {
    if (!(await ctx.clock.sleep(DNS_TIMEOUT_MS, ctx.signal))) return SIGINT_STATUS;
    ctx.stdout(';; connection timed out; no servers could be reached\n\n');
    return 1;
  }
  let out = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  if (answer.rcode === 'NXDOMAIN' || answer.records.length === 0) {
    ctx.stdout(`${out}** server can't find ${name}: NXDOMAIN\n\n`);
    return 1;
  }
  for (const r of answer.records) {
    if (r.type === 'CNAME') out += `${r.name}\tcanonical name = ${r.value}\n`;
    else if (r.type === 'PTR') out += `${r.name}\tname = ${r.value}\n`;
    else if (r.type === 'A' || r.type === 'AAAA') out += `Name:\t${r.name}\nAddress: ${r.value}\n`;
    else out += `${r.name}\tservice = ${r.value}\n`;
  }
  ctx.stdout(`${out}\n`);
  return 0;
};

/** `10.96.0.1` → `1.0.96.10.in-addr.arpa`; undefined for names. */
export function reverseName(text: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return m ? `${m[4]}.${m[3]}.${m[2]}.${m[1]}.in-addr.arpa` : undefined;
}
