import type { IcmpVerdict } from '../shell-host';
import type { ToolContext } from '../tool-context';

/**
 * Whether an ICMP echo to `ip` is answered. The host decides when it implements `icmp`; otherwise:
 * loopback and the pod itself answer, a Service VIP (a `name.ns.svc.zone` answer) does not, and any
 * other address answers unless it is unreachable. NetworkPolicy is not applied to ICMP.
 */
export function icmpVerdict(ctx: ToolContext, target: string, ip: string, fqdn?: string): IcmpVerdict {
  if (ctx.host.icmp) return ctx.host.icmp(ip);
  if (ip.startsWith('127.') || ip === ctx.host.pod.ip) return 'reply';
  if (fqdn && /\.svc\./.test(fqdn) && fqdn.replace(/\.$/, '').split('.').length === 5) return 'silent';
  const reach = ctx.host.connect(target, 7, 'TCP');
  return reach.verdict === 'unreachable' || reach.verdict === 'nxdomain' ? 'unreachable' : 'reply';
}
