import { createHash } from 'node:crypto';
import type { V1EndpointSlice, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { TableBuilder, type IptTable } from '../shell/net/iptables-ruleset';

/** What one node's kube-proxy has programmed from, and where it runs. */
export interface NodeProxyInput {
  nodeName: string;
  /** kube-proxy's `clusterCIDR` (kind: 10.244.0.0/16): its local-traffic detector. */
  clusterCidr: string;
  services: V1Service[];
  endpointSlices: V1EndpointSlice[];
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** kube-proxy's chain suffix: the first 16 base32 characters of sha256 over the joined parts. */
export function portProtoHash(...parts: string[]): string {
  return base32(createHash('sha256').update(parts.join('')).digest()).slice(0, 16);
}

interface Endpoint {
  ip: string;
  port: number;
  nodeName?: string;
}

/** The ready endpoints of one Service port, sorted as kube-proxy's endpoint cache sorts them. */
function endpointsOf(svc: V1Service, port: V1ServicePort, slices: V1EndpointSlice[]): Endpoint[] {
  const out: Endpoint[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    if (slice.metadata?.namespace !== svc.metadata?.namespace) continue;
    if (slice.metadata?.labels?.['kubernetes.io/service-name'] !== svc.metadata?.name) continue;
    if (slice.addressType !== 'IPv4') continue;
    const sp = (slice.ports ?? []).find(
      (p) => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'),
    );
    if (sp?.port === undefined) continue;
    for (const e of slice.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      const ip = e.addresses[0];
      if (!ip || seen.has(`${ip}:${sp.port}`)) continue;
      seen.add(`${ip}:${sp.port}`);
      out.push({ ip, port: sp.port, ...(e.nodeName ? { nodeName: e.nodeName } : {}) });
    }
  }
  return out.sort((a, b) => {
    const x = `${a.ip}:${a.port}`;
    const y = `${b.ip}:${b.port}`;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * The rules kube-proxy 1.33 in iptables mode writes on one node (`nat` and `filter` parts), rule for
 * rule as its syncProxyRules does: KUBE-SERVICES → KUBE-SVC-<hash> (masquerade from outside the
 * cluster CIDR, then one `statistic random` rule per endpoint) → KUBE-SEP-<hash> (hairpin masquerade,
 * DNAT); NodePorts through KUBE-NODEPORTS → KUBE-EXT (→ KUBE-SVL for externalTrafficPolicy Local);
 * a Service port without endpoints gets the filter table's REJECT (DROP for no local endpoints).
 */
export function writeKubeProxyRules(input: NodeProxyInput, nat: TableBuilder, filter: TableBuilder): void {
  for (const chain of ['KUBE-KUBELET-CANARY', 'KUBE-PROXY-CANARY']) {
    nat.chain(chain);
    filter.chain(chain);
  }
  nat.chain('KUBE-SERVICES').chain('KUBE-NODEPORTS').chain('KUBE-POSTROUTING').chain('KUBE-MARK-MASQ');
  const portals = (chain: string) => ({
    matches: [{ kind: 'comment' as const, text: 'kubernetes service portals' }],
    target: { kind: 'jump' as const, chain },
  });
  nat.add('PREROUTING', portals('KUBE-SERVICES'));
  nat.add('OUTPUT', portals('KUBE-SERVICES'));
  nat.add('POSTROUTING', {
    matches: [{ kind: 'comment', text: 'kubernetes postrouting rules' }],
    target: { kind: 'jump', chain: 'KUBE-POSTROUTING' },
  });
  nat.add('KUBE-MARK-MASQ', { target: { kind: 'mark', xmark: '0x4000/0x4000' } });
  nat.add('KUBE-POSTROUTING', {
    matches: [{ kind: 'mark', mark: '0x4000/0x4000', invert: true }],
    target: { kind: 'verdict', verdict: 'RETURN' },
  });
  nat.add('KUBE-POSTROUTING', { target: { kind: 'mark', xmark: '0x4000/0x0' } });
  nat.add('KUBE-POSTROUTING', {
    matches: [{ kind: 'comment', text: 'kubernetes service traffic requiring SNAT' }],
    target: { kind: 'masquerade', randomFully: true },
  });
  writeFilterBase(filter);

  const services = [...input.services].sort((a, b) =>
    `${a.metadata?.namespace}/${a.metadata?.name}` < `${b.metadata?.namespace}/${b.metadata?.name}` ? -1 : 1,
  );
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None' || svc.spec?.type === 'ExternalName') continue;
    for (const port of svc.spec?.ports ?? []) writeServicePort(input, svc, port, nat, filter);
  }
  nat.add('KUBE-SERVICES', {
    matches: [
      {
        kind: 'comment',
        text: 'kubernetes service nodeports; NOTE: this must be the last rule in this chain',
      },
      { kind: 'addrtype', side: 'dst', type: 'LOCAL' },
    ],
    target: { kind: 'jump', chain: 'KUBE-NODEPORTS' },
  });
}

function writeFilterBase(filter: TableBuilder): void {
  for (const c of [
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FIREWALL',
    'KUBE-FORWARD',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
    'KUBE-SERVICES',
  ])
    filter.chain(c);
  const ctNew = { kind: 'conntrack' as const, states: 'NEW' };
  const comment = (text: string) => ({ kind: 'comment' as const, text });
  const jump = (chain: string) => ({ kind: 'jump' as const, chain });
  filter.add('INPUT', {
    matches: [ctNew, comment('kubernetes load balancer firewall')],
    target: jump('KUBE-PROXY-FIREWALL'),
  });
  filter.add('INPUT', {
    matches: [comment('kubernetes health check service ports')],
    target: jump('KUBE-NODEPORTS'),
  });
  filter.add('INPUT', {
    matches: [ctNew, comment('kubernetes externally-visible service portals')],
    target: jump('KUBE-EXTERNAL-SERVICES'),
  });
  filter.add('INPUT', { target: jump('KUBE-FIREWALL') });
  filter.add('FORWARD', {
    matches: [ctNew, comment('kubernetes load balancer firewall')],
    target: jump('KUBE-PROXY-FIREWALL'),
  });
  filter.add('FORWARD', { matches: [comment('kubernetes forwarding rules')], target: jump('KUBE-FORWARD') });
  filter.add('FORWARD', {
    matches: [ctNew, comment('kubernetes service portals')],
    target: jump('KUBE-SERVICES'),
  });
  filter.add('FORWARD', {
    matches: [ctNew, comment('kubernetes externally-visible service portals')],
    target: jump('KUBE-EXTERNAL-SERVICES'),
  });
  filter.add('OUTPUT', {
    matches: [ctNew, comment('kubernetes load balancer firewall')],
    target: jump('KUBE-PROXY-FIREWALL'),
  });
  filter.add('OUTPUT', {
    matches: [ctNew, comment('kubernetes service portals')],
    target: jump('KUBE-SERVICES'),
  });
  filter.add('OUTPUT', { target: jump('KUBE-FIREWALL') });
  filter.add('KUBE-FIREWALL', {
    source: '127.0.0.0/8',
    sourceInvert: true,
    destination: '127.0.0.0/8',
    matches: [
      comment('block incoming localnet connections'),
      { kind: 'conntrack', states: 'RELATED,ESTABLISHED,DNAT', invert: true },
    ],
    target: { kind: 'verdict', verdict: 'DROP' },
  });
  filter.add('KUBE-FORWARD', {
    matches: [{ kind: 'conntrack', states: 'INVALID' }],
    target: { kind: 'verdict', verdict: 'DROP' },
  });
  filter.add('KUBE-FORWARD', {
    matches: [comment('kubernetes forwarding rules'), { kind: 'mark', mark: '0x4000/0x4000' }],
    target: { kind: 'verdict', verdict: 'ACCEPT' },
  });
  filter.add('KUBE-FORWARD', {
    matches: [
      comment('kubernetes forwarding conntrack rule'),
      { kind: 'conntrack', states: 'RELATED,ESTABLISHED' },
    ],
    target: { kind: 'verdict', verdict: 'ACCEPT' },
  });
}

function writeServicePort(
  input: NodeProxyInput,
  svc: V1Service,
  port: V1ServicePort,
  nat: TableBuilder,
  filter: TableBuilder,
): void {
  const name = `${svc.metadata?.namespace}/${svc.metadata?.name}${port.name ? `:${port.name}` : ''}`;
  const proto = (port.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp' | 'sctp';
  const hash = portProtoHash(name, proto);
  const svcChain = `KUBE-SVC-${hash}`;
  const svlChain = `KUBE-SVL-${hash}`;
  const extChain = `KUBE-EXT-${hash}`;
  const clusterIp = svc.spec!.clusterIP!;
  const endpoints = endpointsOf(svc, port, input.endpointSlices);
  const local = endpoints.filter((e) => e.nodeName === input.nodeName);
  const nodePort =
    svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer' ? port.nodePort : undefined;
  const externalLocal = nodePort !== undefined && svc.spec?.externalTrafficPolicy === 'Local';
  const hasExternal = externalLocal ? local.length > 0 : endpoints.length > 0;
  const sep = (e: Endpoint) => `KUBE-SEP-${portProtoHash(name, proto, `${e.ip}:${e.port}`)}`;
  const dport = { kind: 'port' as const, proto, dport: port.port };
  const comment = (text: string) => ({ kind: 'comment' as const, text });
  const jump = (chain: string) => ({ kind: 'jump' as const, chain });

  if (endpoints.length > 0) {
    nat.add('KUBE-SERVICES', {
      destination: clusterIp,
      proto,
      matches: [comment(`${name} cluster IP`), dport],
      target: jump(svcChain),
    });
  } else {
    filter.add('KUBE-SERVICES', {
      destination: clusterIp,
      proto,
      matches: [comment(`${name} has no endpoints`), dport],
      target: { kind: 'reject', with: 'icmp-port-unreachable' },
    });
  }

  if (nodePort !== undefined) {
    if (hasExternal) {
      nat.add('KUBE-NODEPORTS', {
        proto,
        matches: [comment(name), { kind: 'port', proto, dport: nodePort }],
        target: jump(extChain),
      });
      if (!externalLocal) {
        nat.add(extChain, {
          matches: [comment(`masquerade traffic for ${name} external destinations`)],
          target: jump('KUBE-MARK-MASQ'),
        });
      } else {
        nat.add(extChain, {
          source: input.clusterCidr,
          matches: [comment(`pod traffic for ${name} external destinations`)],
          target: jump(svcChain),
        });
        nat.add(extChain, {
          matches: [
            comment(`masquerade LOCAL traffic for ${name} external destinations`),
            { kind: 'addrtype', side: 'src', type: 'LOCAL' },
          ],
          target: jump('KUBE-MARK-MASQ'),
        });
        nat.add(extChain, {
          matches: [
            comment(`route LOCAL traffic for ${name} external destinations`),
            { kind: 'addrtype', side: 'src', type: 'LOCAL' },
          ],
          target: jump(svcChain),
        });
      }
      nat.add(extChain, { target: jump(externalLocal ? svlChain : svcChain) });
    } else {
      filter.add('KUBE-EXTERNAL-SERVICES', {
        proto,
        matches: [
          comment(`${name} has no ${endpoints.length > 0 ? 'local ' : ''}endpoints`),
          { kind: 'addrtype', side: 'dst', type: 'LOCAL' },
          { kind: 'port', proto, dport: nodePort },
        ],
        target:
          endpoints.length > 0
            ? { kind: 'verdict', verdict: 'DROP' }
            : { kind: 'reject', with: 'icmp-port-unreachable' },
      });
    }
  }

  if (endpoints.length === 0) return;
  const affinity =
    svc.spec?.sessionAffinity === 'ClientIP'
      ? (svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800)
      : undefined;
  nat.add(svcChain, {
    source: input.clusterCidr,
    sourceInvert: true,
    destination: clusterIp,
    proto,
    matches: [comment(`${name} cluster IP`), dport],
    target: jump('KUBE-MARK-MASQ'),
  });
  const balance = (chain: string, list: Endpoint[]) => {
    if (affinity !== undefined) {
      for (const e of list)
        nat.add(chain, {
          matches: [
            comment(`${name} -> ${e.ip}:${e.port}`),
            { kind: 'recent', mode: 'rcheck', name: sep(e), seconds: affinity },
          ],
          target: jump(sep(e)),
        });
    }
    list.forEach((e, i) =>
      nat.add(chain, {
        matches: [
          comment(`${name} -> ${e.ip}:${e.port}`),
          ...(i < list.length - 1
            ? [{ kind: 'statistic' as const, probability: 1 / (list.length - i) }]
            : []),
        ],
        target: jump(sep(e)),
      }),
    );
  };
  balance(svcChain, endpoints);
  if (externalLocal && local.length > 0) balance(svlChain, local);
  for (const e of endpoints) {
    const chain = sep(e);
    nat.add(chain, { source: e.ip, matches: [comment(name)], target: jump('KUBE-MARK-MASQ') });
    nat.add(chain, {
      proto,
      matches: [
        comment(name),
        ...(affinity !== undefined ? [{ kind: 'recent' as const, mode: 'set' as const, name: chain }] : []),
        { kind: 'port', proto },
      ],
      target: { kind: 'dnat', to: `${e.ip}:${e.port}` },
    });
  }
}

/** Every table `iptables-save` prints on a kind node: kube-proxy's rules plus Docker's DNS redirect. */
export function nodeTables(input: NodeProxyInput, dnsPorts: { tcp: number; udp: number }): IptTable[] {
  const mangle = new TableBuilder('mangle');
  const nat = new TableBuilder('nat');
  const filter = new TableBuilder('filter');
  for (const c of ['KUBE-IPTABLES-HINT', 'KUBE-KUBELET-CANARY', 'KUBE-PROXY-CANARY']) mangle.chain(c);
  writeKubeProxyRules(input, nat, filter);
  // kind points the node's resolver at the network gateway and DNATs it to Docker's embedded DNS.
  const gw = '172.18.0.1';
  nat.add('PREROUTING', { destination: gw, target: { kind: 'jump', chain: 'DOCKER_OUTPUT' } });
  nat.add('OUTPUT', { destination: gw, target: { kind: 'jump', chain: 'DOCKER_OUTPUT' } });
  nat.add('POSTROUTING', { destination: gw, target: { kind: 'jump', chain: 'DOCKER_POSTROUTING' } });
  for (const proto of ['tcp', 'udp'] as const) {
    nat.add('DOCKER_OUTPUT', {
      destination: gw,
      proto,
      matches: [{ kind: 'port', proto, dport: 53 }],
      target: { kind: 'dnat', to: `127.0.0.11:${dnsPorts[proto]}` },
    });
  }
  for (const proto of ['tcp', 'udp'] as const) {
    nat.add('DOCKER_POSTROUTING', {
      source: '127.0.0.11',
      proto,
      matches: [{ kind: 'port', proto, sport: dnsPorts[proto] }],
      target: { kind: 'snat', to: `${gw}:53` },
    });
  }
  return [mangle.table(), filter.table(), nat.table()];
}
