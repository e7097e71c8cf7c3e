import { lookupHostTimed } from '../net/host-lookup';
import { icmpVerdict } from '../net/icmp-verdict';
import { SIGINT_STATUS, type Tool } from '../tool-context';

/** busybox waits this long for replies after the last of `-c` packets (its -W default). */
const DEFAULT_LINGER_MS = 10_000;

/**
 * busybox 1.36 ping. Pods answer when routable; NetworkPolicy is not applied to ICMP (policies
 * name TCP/UDP/SCTP ports; CNIs differ on ICMP, so the sim chose the permissive one and says so in
 * infra/README). Service VIPs do not answer (kube-proxy in iptables mode only translates TCP/UDP).
 */
export const pingTool: Tool = async (ctx) => {
  let count = Infinity;
  let lingerMs = DEFAULT_LINGER_MS;
  let deadlineMs = Infinity;
  let intervalMs = 1000;
  let quiet = false;
  let target: string | undefined;
  for (let i = 0; i < ctx.args.length; i++) {
    const arg = ctx.args[i]!;
    const m = /^-([cWwis])(.*)$/.exec(arg);
    if (m) {
      const v = m[2] || ctx.args[++i];
      if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) {
        ctx.stderr(`ping: invalid number '${v ?? ''}'\n`);
        return 1;
      }
      const n = Number(v);
      if (m[1] === 'c') count = n;
      if (m[1] === 'W') lingerMs = n * 1000;
      if (m[1] === 'w') deadlineMs = n * 1000;
      if (m[1] === 'i') intervalMs = n * 1000;
    } else if (arg === '-q') quiet = true;
    else if (arg === '-4' || arg === '-n') continue;
    else target = arg;
  }
  if (target === undefined) {
    ctx.stderr(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n',
    );
    return 1;
  }
  const lookup = await lookupHostTimed(ctx, target);
  if (!lookup.ok && lookup.rcode === 'INTERRUPTED') return SIGINT_STATUS;
  if (!lookup.ok) {
    ctx.stderr(`ping: bad address '${target}'\n`);
    return 1;
  }
  const ip = lookup.ip;
  const verdict = icmpVerdict(ctx, target, ip, lookup.answer?.fqdn);
  ctx.stdout(`PING ${target} (${ip}): 56 data bytes\n`);
  const times: number[] = [];
  let sent = 0;
  const start = ctx.clock.now();
  let interrupted = false;
  while (sent < count && ctx.clock.now() - start < deadlineMs) {
    const seq = sent++;
    if (verdict === 'reply') {
      const ms = 0.045 + ((seq * 37) % 61) / 1000;
      times.push(ms);
      if (!quiet) ctx.stdout(`64 bytes from ${ip}: seq=${seq} ttl=63 time=${ms.toFixed(3)} ms\n`);
    }
    if (sent >= count && times.length === sent) break;
    const wait = sent >= count ? Math.min(lingerMs, deadlineMs - (ctx.clock.now() - start)) : intervalMs;
    if (!(await ctx.clock.sleep(wait, ctx.signal))) {
      interrupted = true;
      break;
    }
  }
  if (ctx.signal.aborted && !interrupted) return SIGINT_STATUS;
  const loss = Math.round(((sent - times.length) * 100) / Math.max(sent, 1));
  let stats = `\n--- ${target} ping statistics ---\n${sent} packets transmitted, ${times.length} packets received, ${loss}% packet loss\n`;
  if (times.length > 0) {
    const avg = times.reduce((a, b) => a + b, 0) / times.length;
    stats += `round-trip min/avg/max = ${Math.min(...times).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...times).toFixed(3)} ms\n`;
  }
  ctx.stdout(stats);
  return times.length > 0 ? 0 : 1;
};
