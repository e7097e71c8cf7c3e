import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { listChain, saveTable } from '../shell/net/iptables-ruleset';
import { nodeTables, portProtoHash, type NodeProxyInput } from './kube-proxy-rules';

const service = (name: string, ip: string, spec: Partial<V1Service['spec']> = {}): V1Service => ({
  metadata: { namespace: 'default', name },
  spec: { clusterIP: ip, ports: [{ port: 80, protocol: 'TCP' }], ...spec },
});

const slice = (svc: string, port: number, ips: [string, string][], name = ''): V1EndpointSlice => ({
  metadata: { namespace: 'default', name: `${svc}-abcde`, labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  ports: [{ name, port, protocol: 'TCP' }],
  endpoints: ips.map(([ip, nodeName]) => ({ addresses: [ip], conditions: { ready: true }, nodeName })),
});

const input = (services: V1Service[], endpointSlices: V1EndpointSlice[]): NodeProxyInput => ({
  nodeName: 'kind-worker',
  clusterCidr: '10.244.0.0/16',
  services,
  endpointSlices,
});

function save(i: NodeProxyInput): string {
  return nodeTables(i, { tcp: 40000, udp: 40001 })
    .flatMap((t) => saveTable(t))
    .join('\n');
}

describe(portProtoHash.name, () => {
  it.each([
    ['default/kubernetes:https', 'tcp', 'NPX46M4PTMTKRN6Y'],
    ['kube-system/kube-dns:dns', 'udp', 'TCOU7JCQXEZGVUNU'],
    ['kube-system/kube-dns:dns-tcp', 'tcp', 'ERIFXISQEP7F7OF4'],
    ['kube-system/kube-dns:metrics', 'tcp', 'JD5MR3NA4I4DYORP'],
  ])('should name %s/%s as kube-proxy does on every kind cluster', (name, proto, hash) => {
    expect(portProtoHash(name, proto)).toBe(hash);
  });
});

describe(nodeTables.name, () => {
  const web = service('web', '10.96.10.10');
  const three = slice('web', 8080, [
    ['10.244.1.3', 'kind-worker'],
    ['10.244.2.4', 'kind-worker2'],
    ['10.244.1.2', 'kind-worker'],
  ]);

  it('should spread a ClusterIP over its endpoints with the statistic probabilities iptables stores', () => {
    const out = save(input([web], [three]));
    const svc = `KUBE-SVC-${portProtoHash('default/web', 'tcp')}`;
    expect(out).toContain(
      `-A KUBE-SERVICES -d 10.96.10.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j ${svc}`,
    );
    expect(out).toContain(
      `-A ${svc} ! -s 10.244.0.0/16 -d 10.96.10.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
    );
    const lines = out.split('\n').filter((l) => l.startsWith(`-A ${svc} -m comment`));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /--comment "default\/web -> 10\.244\.1\.2:8080" -m statistic --mode random --probability 0\.33333333349 -j KUBE-SEP-[A-Z2-7]{16}$/,
    );
    expect(lines[1]).toContain('--probability 0.50000000000');
    expect(lines[2]).not.toContain('statistic');
    const sep = `KUBE-SEP-${portProtoHash('default/web', 'tcp', '10.244.1.2:8080')}`;
    expect(out).toContain(`-A ${sep} -s 10.244.1.2/32 -m comment --comment "default/web" -j KUBE-MARK-MASQ`);
    expect(out).toContain(
      `-A ${sep} -p tcp -m comment --comment "default/web" -m tcp -j DNAT --to-destination 10.244.1.2:8080`,
    );
  });

  it("should REJECT in the filter table's KUBE-SERVICES when a Service has no endpoints", () => {
    const out = save(input([service('empty', '10.96.10.11', { ports: [{ name: 'http', port: 80 }] })], []));
    expect(out).toContain(
      '-A KUBE-SERVICES -d 10.96.10.11/32 -p tcp -m comment --comment "default/empty:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    );
    expect(out).not.toContain('KUBE-SVC-');
  });

  it('should send NodePort traffic through KUBE-EXT with masquerade, and DROP it with externalTrafficPolicy Local and no local endpoint', () => {
    const np = service('web', '10.96.10.10', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    const hash = portProtoHash('default/web', 'tcp');
    const cluster = save(input([np], [three]));
    expect(cluster).toContain(
      `-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport 30080 -j KUBE-EXT-${hash}`,
    );
    expect(cluster).toContain(
      `-A KUBE-EXT-${hash} -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ`,
    );
    expect(cluster).toContain(`-A KUBE-EXT-${hash} -j KUBE-SVC-${hash}`);
    const remote = slice('web', 8080, [['10.244.2.4', 'kind-worker2']]);
    const local = save(input([{ ...np, spec: { ...np.spec, externalTrafficPolicy: 'Local' } }], [remote]));
    expect(local).toContain(
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/web has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP',
    );
    expect(local).not.toContain('-A KUBE-NODEPORTS -p tcp');
  });

  it('should pin a client to its endpoint with recent rules for sessionAffinity ClientIP', () => {
    const sticky = service('web', '10.96.10.10', {
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
    });
    const out = save(input([sticky], [slice('web', 8080, [['10.244.1.2', 'kind-worker']])]));
    const sep = `KUBE-SEP-${portProtoHash('default/web', 'tcp', '10.244.1.2:8080')}`;
    expect(out).toContain(
      `-m recent --rcheck --seconds 600 --reap --name ${sep} --mask 255.255.255.255 --rsource -j ${sep}`,
    );
    expect(out).toContain(`-m recent --set --name ${sep} --mask 255.255.255.255 --rsource -m tcp -j DNAT`);
  });

  it('should list KUBE-SERVICES as `iptables -t nat -L KUBE-SERVICES -n` prints it', () => {
    const nat = nodeTables(input([web], [three]), { tcp: 40000, udp: 40001 }).find((t) => t.name === 'nat')!;
    const lines = listChain(
      nat,
      nat.chains.find((c) => c.name === 'KUBE-SERVICES')!,
      true,
    );
    expect(lines.slice(0, 3)).toEqual([
      'Chain KUBE-SERVICES (2 references)',
      'target     prot opt source               destination         ',
      `KUBE-SVC-${portProtoHash('default/web', 'tcp')}  tcp  --  0.0.0.0/0            10.96.10.10          /* default/web cluster IP */ tcp dpt:80`,
    ]);
    expect(lines[3]).toBe(
      'KUBE-NODEPORTS  all  --  0.0.0.0/0            0.0.0.0/0            /* kubernetes service nodeports; NOTE: this must be the last rule in this chain */ ADDRTYPE match dst-type LOCAL',
    );
  });

  it('should skip headless and ExternalName Services, which kube-proxy does not program', () => {
    const out = save(
      input(
        [
          service('headless', 'None'),
          service('ext', '', { type: 'ExternalName', externalName: 'example.com' }),
        ],
        [],
      ),
    );
    expect(out).not.toContain('default/headless');
    expect(out).not.toContain('default/ext');
  });
});
