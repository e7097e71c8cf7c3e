import { DNS_TIMEOUT_MS, lookupHost } from '../net/host-lookup';
import { SIGINT_STATUS, type Tool } from '../tool-context';
import { reverseName } from './nslookup.tool';

/** bind's `host NAME`: uses the search list; `has address` lines, `not found: 3(NXDOMAIN)`. */
export const hostTool: Tool = async (ctx) => {
  const name = ctx.args.find((a) => !a.startsWith('-'));
  if (name === undefined) {
    ctx.stderr(
      'Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n',
    );
    return 1;
  }
  const answer = ctx.host.resolve(reverseName(name) ?? name);
  if (answer.rcode === 'SERVFAIL') {
    if (!(await ctx.clock.sleep(DNS_TIMEOUT_MS, ctx.signal))) return SIGINT_STATUS;
    ctx.stdout(';; connection timed out; no servers could be reached\n');
    return 1;
  }
  if (answer.rcode === 'NXDOMAIN' || answer.records.length === 0) {
    ctx.stdout(`Host ${reverseName(name) ?? name} not found: 3(NXDOMAIN)\n`);
    return 1;
  }
  for (const r of answer.records) {
    const owner = r.name.replace(/\.$/, '');
    if (r.type === 'A') ctx.stdout(`${owner} has address ${r.value}\n`);
    else if (r.type === 'AAAA') ctx.stdout(`${owner} has IPv6 address ${r.value}\n`);
    else if (r.type === 'CNAME')
      ctx.stdout(`${owner} is an alias for ${r.value.replace(/([^.])$/, '$1.')}\n`);
    else if (r.type === 'PTR')
      ctx.stdout(`${owner} domain name pointer ${r.value.replace(/([^.])$/, '$1.')}\n`);
  }
  return 0;
};

/** `getent hosts NAME`: what the C library resolves (/etc/hosts, then DNS); status 2 when nothing. */
export const getentTool: Tool = async (ctx) => {
  const [database, ...keys] = ctx.args;
  if (database !== 'hosts' && database !== 'ahosts') {
    ctx.stderr(
      database === undefined ? 'Usage: getent database [key ...]\n' : `Unknown database: ${database}\n`,
    );
    return database === undefined ? 1 : 2;
  }
  let status = 0;
  for (const key of keys) {
    const lookup = lookupHost(ctx.host, key);
    if (!lookup.ok) {
      status = 2;
      continue;
    }
    const canonical = lookup.answer?.fqdn?.replace(/\.$/, '') ?? key;
    ctx.stdout(`${lookup.ip.padEnd(15)} ${canonical}\n`);
  }
  return status;
};
