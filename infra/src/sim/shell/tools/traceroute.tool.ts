import { icmpVerdict } from '../net/icmp-verdict';
import { lookupHostTimed } from '../net/host-lookup';
import { SIGINT_STATUS, type Tool } from '../tool-context';

/**
 * busybox traceroute: the pod's gateway (its node) is hop 1, the destination pod the next hop.
 * A Service VIP never answers (kube-proxy does not translate traceroute's probes to unused
 * ports), so its hops stay `* * *` until -m hops or Ctrl-C, as on a real cluster.
 */
export const tracerouteTool: Tool = async (ctx) => {
  let maxHops = 30;
  let waitMs = 5000;
  let queries = 3;
  let target: string | undefined;
  for (let i = 0; i < ctx.args.length; i++) {
    const arg = ctx.args[i]!;
    const m = /^-([mwq])(.*)$/.exec(arg);
    if (m) {
      const n = Number(m[2] || ctx.args[++i]);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.stderr(`traceroute: invalid number '${m[2] || ctx.args[i] || ''}'\n`);
        return 1;
      }
      if (m[1] === 'm') maxHops = n;
      if (m[1] === 'w') waitMs = n * 1000;
      if (m[1] === 'q') queries = n;
    } else if (!arg.startsWith('-')) target = arg;
  }
  if (target === undefined) {
    ctx.stderr(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: traceroute [-46IFlnrv] [-f 1ST_TTL] [-m MAXTTL] [-q PROBES] [-p PORT]\n\t[-t TOS] [-w WAIT_SEC] [-s SRC_IP] [-i IFACE]\n\t[-z PAUSE_MSEC] HOST [BYTES]\n\nTrace the route to HOST\n',
    );
    return 1;
  }
  const lookup = await lookupHostTimed(ctx, target);
  if (!lookup.ok) {
    if (lookup.rcode === 'INTERRUPTED') return SIGINT_STATUS;
    ctx.stderr(`traceroute: bad address '${target}'\n`);
    return 1;
  }
  const ip = lookup.ip;
  ctx.stdout(`traceroute to ${target} (${ip}), ${maxHops} hops max, 46 byte packets\n`);
  const verdict = icmpVerdict(ctx, target, ip, lookup.answer?.fqdn);
  const gateway = /^default via (\S+)/m.exec(ctx.host.routes.join('\n'))?.[1];
  const local = ip.startsWith('127.') || ip === ctx.host.pod.ip;
  const hops = local ? [ip] : [gateway ?? ip, ...(verdict === 'reply' && gateway !== ip ? [ip] : [])];
  for (let hop = 1; hop <= maxHops; hop++) {
    const addr = hops[hop - 1];
    let line = `${String(hop).padStart(2)} `;
    if (addr !== undefined) {
      line += ` ${addr} (${addr})`;
      for (let q = 0; q < queries; q++) line += `  ${(0.004 + hop * 0.021 + q * 0.003).toFixed(3)} ms`;
      ctx.stdout(`${line}\n`);
      if (addr === ip) return 0;
      continue;
    }
    ctx.stdout(line);
    for (let q = 0; q < queries; q++) {
      if (!(await ctx.clock.sleep(waitMs, ctx.signal))) return SIGINT_STATUS;
      ctx.stdout(' *');
    }
    ctx.stdout('\n');
  }
  return 0;
};
