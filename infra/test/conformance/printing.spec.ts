import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, startWorld, type KubectlWorld } from './kubectl-harness';
import { webManifest } from './manifests';
import { seedCluster } from './seed-objects';

describe.each([30, 33])('sim server-side printing with kubectl 1.%i', { timeout: 60_000 }, (minor) => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args);

  beforeAll(async () => {
    sut = await startWorld({ minor });
    seedCluster(sut.cluster.store);
    await sut.kubectl(['apply', '-f', sut.file('web.yaml', webManifest())]);
  }, 30_000);
  afterAll(() => sut?.stop());

  it.each([
    ['pods', ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']],
    [
      'pods -o wide',
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    ],
    ['svc -o wide', ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']],
    [
      'deploy -o wide',
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
    ],
    ['rs', ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']],
    ['ds', ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']],
    ['ep', ['NAME', 'ENDPOINTS', 'AGE']],
    ['endpointslices', ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']],
    ['netpol', ['NAME', 'POD-SELECTOR', 'AGE']],
    [
      'nodes -o wide',
      [
        'NAME',
        'STATUS',
        'ROLES',
        'AGE',
        'VERSION',
        'INTERNAL-IP',
        'EXTERNAL-IP',
        'OS-IMAGE',
        'KERNEL-VERSION',
        'CONTAINER-RUNTIME',
      ],
    ],
    ['ns', ['NAME', 'STATUS', 'AGE']],
    ['cm', ['NAME', 'DATA', 'AGE']],
    ['secrets', ['NAME', 'TYPE', 'DATA', 'AGE']],
    ['sa', ['NAME', 'SECRETS', 'AGE']],
    ['events', ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']],
    ['ingress', ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']],
  ])('should print the real columns for get %s', async (what, header) => {
    const r = await k('get', ...what.split(' '));
    expect(r.code).toBe(0);
    if (what === 'sa') return expect(r.stderr.trim()).toBe('No resources found in default namespace.');
    expect(rows(r.stdout)[0]).toEqual(header);
  });

  it('should print pod status, readiness and restarts as kubectl does', async () => {
    const table = rows((await k('get', 'pods', '-o', 'wide')).stdout);
    expect(table.find((r) => r[0] === 'web-7d4b9c-abcde')?.slice(0, 3)).toEqual([
      'web-7d4b9c-abcde',
      '1/1',
      'Running',
    ]);
    const crash = table.find((r) => r[0] === 'crash')!;
    expect(crash.slice(0, 3)).toEqual(['crash', '0/1', 'CrashLoopBackOff']);
    expect(crash[3]).toMatch(/^4 \(\d+s ago\)$/);
    expect(crash.slice(5, 7)).toEqual(['10.244.0.6', 'conf-control-plane']);
  });

  it('should print the cells of services, endpoints, nodes and events', async () => {
    const svc = rows((await k('get', 'svc', 'web', '-o', 'wide')).stdout)[1]!;
    expect(svc[1]).toBe('ClusterIP');
    expect(svc[2]).toMatch(/^10\.96\./);
    expect(svc.slice(3, 5)).toEqual(['<none>', '80/TCP']);
    expect(svc[6]).toBe('app=web');
    expect(rows((await k('get', 'ep', 'web')).stdout)[1]!.slice(0, 2)).toEqual(['web', '10.244.0.5:80']);
    expect(rows((await k('get', 'endpointslices')).stdout)[1]!.slice(0, 4)).toEqual([
      'web-x7k2p',
      'IPv4',
      '80',
      '10.244.0.5',
    ]);
    const node = rows((await k('get', 'nodes', '-o', 'wide')).stdout)[1]!;
    expect([node[0], node[1], node[2], node[4], node[5], node[6]]).toEqual([
      'conf-control-plane',
      'Ready',
      'control-plane',
      'v1.33.1',
      '172.18.0.2',
      '<none>',
    ]);
    const ev = rows((await k('get', 'events')).stdout)[1]!;
    expect(ev.slice(1)).toEqual([
      'Warning',
      'BackOff',
      'pod/crash',
      'Back-off restarting failed container c in pod crash_default(uid)',
    ]);
    expect(rows((await k('get', 'netpol')).stdout)[1]!.slice(0, 2)).toEqual(['deny', 'app=web']);
    // The ADDRESS cell is empty until an ingress controller reports one.
    expect((await k('get', 'ing')).stdout).toMatch(/^web\s+nginx\s+web\.local\s+80\s+\d+s$/m);
    expect(rows((await k('get', 'ns', 'default')).stdout)[1]!.slice(0, 2)).toEqual(['default', 'Active']);
  });

  it('should store events.k8s.io Events with core ones and print both', async () => {
    const path = sut.file(
      'ev.yaml',
      'apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: custom.1}\neventTime: "2026-01-01T00:00:00.000000Z"\nreportingController: me\nreportingInstance: me-1\naction: Test\nreason: Custom\nnote: hello from events v1\ntype: Normal\nregarding: {kind: Pod, name: crash, namespace: default}\n',
    );
    expect((await k('create', '-f', path)).stdout).toBe('event.events.k8s.io/custom.1 created\n');
    expect((await k('get', 'ev')).stdout).toMatch(/Normal\s+Custom\s+pod\/crash\s+hello from events v1/);
    expect(
      (await k('get', 'events.events.k8s.io', 'custom.1', '-o', 'jsonpath={.note}/{.regarding.name}')).stdout,
    ).toBe('hello from events v1/crash');
  });

  it('should show every category member for get all', async () => {
    const out = (await k('get', 'all')).stdout;
    for (const name of [
      'pod/crash',
      'service/web',
      'deployment.apps/web',
      'replicaset.apps/web-7d4b9c',
      'daemonset.apps/agent',
    ]) {
      expect(out).toContain(name);
    }
  });

  it('should print labels, namespaces and sorted rows', async () => {
    const labelled = rows((await k('get', 'pods', '--show-labels')).stdout);
    expect(labelled[0]!.at(-1)).toBe('LABELS');
    expect(labelled.find((r) => r[0] === 'crash')!.at(-1)).toBe('app=crash');
    const all = rows((await k('get', 'ns', '-A')).stdout).map((r) => r[0]);
    expect(all).toEqual(['NAME', 'default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const podsA = rows((await k('get', 'pods', '-A')).stdout);
    expect(podsA[0]![0]).toBe('NAMESPACE');
    expect(podsA[1]![0]).toBe('default');
    const sorted = rows((await k('get', 'pods', '--sort-by=.metadata.name')).stdout).map((r) => r[0]);
    expect(sorted).toEqual(['NAME', 'crash', 'web-7d4b9c-abcde']);
  });

  it('should filter by label and field selectors', async () => {
    expect(rows((await k('get', 'pods', '-l', 'app=web')).stdout).map((r) => r[0])).toEqual([
      'NAME',
      'web-7d4b9c-abcde',
    ]);
    expect(rows((await k('get', 'pods', '-l', 'app in (crash,other)')).stdout).map((r) => r[0])).toEqual([
      'NAME',
      'crash',
    ]);
    expect(rows((await k('get', 'pods', '-l', '!app')).stdout)).toEqual([]);
    expect(
      rows((await k('get', 'pods', '--field-selector', 'metadata.name=crash')).stdout).map((r) => r[0]),
    ).toEqual(['NAME', 'crash']);
    expect(rows((await k('get', 'pods', '--field-selector', 'status.phase!=Running')).stdout)).toEqual([]);
  });

  it('should print name, json, yaml, jsonpath and custom columns', async () => {
    expect((await k('get', 'pods', '-o', 'name')).stdout).toBe('pod/crash\npod/web-7d4b9c-abcde\n');
    const list = JSON.parse((await k('get', 'pods', '-o', 'json')).stdout);
    expect(list.kind).toBe('List');
    expect(list.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      'crash',
      'web-7d4b9c-abcde',
    ]);
    expect((await k('get', 'deploy', 'web', '-o', 'yaml')).stdout).toContain('kind: Deployment\nmetadata:');
    expect((await k('get', 'pods', '-o', 'jsonpath={.items[*].status.podIP}')).stdout).toBe(
      '10.244.0.6 10.244.0.5',
    );
    expect(
      rows((await k('get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName')).stdout),
    ).toEqual([
      ['NAME', 'NODE'],
      ['crash', 'conf-control-plane'],
      ['web-7d4b9c-abcde', 'conf-control-plane'],
    ]);
  });

  it.each([
    ['pod', 'crash', ['Name:         crash', 'Status:       Running', 'Warning  BackOff']],
    [
      'service',
      'web',
      [
        'Name:                     web',
        'Selector:                 app=web',
        'Endpoints:                10.244.0.5:80',
      ],
    ],
    ['deployment', 'web', ['Name:                   web', 'Replicas:               2 desired']],
    ['replicaset', 'web-7d4b9c', ['Name:         web-7d4b9c', 'Replicas:     1 current / 1 desired']],
    ['daemonset', 'agent', ['Name:           agent', 'Node-Selector:  kubernetes.io/os=linux']],
    [
      'node',
      'conf-control-plane',
      [
        'Name:               conf-control-plane',
        'Roles:              control-plane',
        'HolderIdentity:  conf-control-plane',
      ],
    ],
    ['endpoints', 'web', ['Name:         web', 'Addresses:  10.244.0.5']],
    ['endpointslice', 'web-x7k2p', ['Name:         web-x7k2p', 'AddressType:  IPv4']],
    ['networkpolicy', 'deny', ['Name:         deny', 'PodSelector:     app=web']],
    ['ingress', 'web', ['Name:             web', 'web.local']],
    ['namespace', 'default', ['Name:         default', 'Status:       Active']],
  ])('should describe %s %s', async (kind, name, expected) => {
    const r = await k('describe', kind, name);
    expect(r.code).toBe(0);
    // Describe aligns its columns per kubectl version: compare with any run of whitespace.
    for (const text of expected)
      expect(r.stdout).toMatch(
        new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')),
      );
  });

  it("should show each node's heartbeat lease when describing a node and listing leases", async () => {
    const d = await k('describe', 'node', 'conf-control-plane');
    expect(d.stdout).not.toContain('Failed to get lease');
    expect(d.stdout).toMatch(/RenewTime:\s+\w{3}, \d{2} \w{3} \d{4}/);
    const r = await k('get', 'leases', '-n', 'kube-node-lease');
    expect(r.code).toBe(0);
    expect(rows(r.stdout)[0]).toEqual(['NAME', 'HOLDER', 'AGE']);
    expect(rows(r.stdout)).toContainEqual(['conf-control-plane', 'conf-control-plane', expect.any(String)]);
  });
});
