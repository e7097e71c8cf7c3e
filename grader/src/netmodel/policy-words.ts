import type { PodEntry } from './cluster-index';
import { describeLabels } from './label-selector';
import type { Direction } from './network-policy.compiler';
import type { Party, PolicyDecision, PolicyEvaluator } from './network-policy.evaluator';
import type { Protocol } from './types';

/** A party in words: `Pod shop/web (app=web)` or `10.1.2.3`. */
export function describeParty(party: Party, nodeName?: string): string {
  if (party.pod) return `Pod ${party.pod.key} (${describeLabels(party.pod.labels)})`;
  return nodeName ? `node ${nodeName} (${party.ip})` : (party.ip ?? 'an unknown address');
}

/** One policy decision in words, naming the policies and the rules that did (not) match. */
export function describeDecision(
  evaluator: PolicyEvaluator,
  direction: Direction,
  subject: PodEntry,
  peer: Party,
  peerName: string,
  decision: PolicyDecision,
  port: number,
  protocol: Protocol,
): string {
  const dir = direction.toLowerCase();
  const conn = `${protocol} ${port} ${direction === 'Ingress' ? 'from' : 'to'} ${peerName}`;
  switch (decision.bypass) {
    case 'not-enforced':
      return `NetworkPolicy is not enforced in this cluster (no enforcing CNI), so ${dir} is not filtered`;
    case 'host-network':
      return `Pod ${subject.key} uses hostNetwork; NetworkPolicy does not apply to it`;
    case 'same-pod':
      return `Pod ${subject.key} talks to itself; NetworkPolicy cannot block that`;
    case 'resident-node':
      return `the traffic comes from Pod ${subject.key}'s own node; NetworkPolicy cannot block that`;
  }
  if (decision.policies.length === 0) {
    return `no NetworkPolicy selects Pod ${subject.key} for ${dir}, so all ${dir} is allowed`;
  }
  const names = decision.policies.map((p) => p.key).join(', ');
  if (decision.allowedBy) {
    const { policy, rule } = decision.allowedBy;
    return `NetworkPolicy ${policy.key} allows ${conn} (${dir} rule ${rule.index + 1}: ${evaluator.describe(rule, direction, policy)})`;
  }
  const rules: string[] = [];
  for (const policy of decision.policies) {
    const list = (direction === 'Ingress' ? policy.ingress : policy.egress) ?? [];
    if (list.length === 0) {
      rules.push(`${policy.key} allows no ${dir} at all`);
      continue;
    }
    for (const rule of list) {
      const portOwner = direction === 'Ingress' ? subject : peer.pod;
      const portsOk = evaluator.rulePortsMatch(rule, portOwner, port, protocol);
      const peersOk = evaluator.rulePeersMatch(rule, policy, peer);
      const miss =
        !portsOk && !peersOk
          ? 'neither peer nor port match'
          : !portsOk
            ? 'the port does not match'
            : 'the peer does not match';
      rules.push(`${policy.key} allows ${evaluator.describe(rule, direction, policy)} (${miss})`);
    }
  }
  const shown = rules.slice(0, 4).join('; ') + (rules.length > 4 ? `; … ${rules.length - 4} more` : '');
  return `Pod ${subject.key} is isolated for ${dir} by NetworkPolicy ${names}, and no ${dir} rule allows ${conn}: ${shown}`;
}
