import { describe, expect, it } from 'vitest';
import type { ResolvedOptions } from './context';
import {
  corefile,
  defaultClusterRoleBindings,
  defaultClusterRoles,
  kubeSystemServiceAccounts,
  systemClusterRoles,
} from './kube-system-objects';

const options = (o: Partial<ResolvedOptions> = {}): ResolvedOptions => ({
  name: 'lab',
  nodes: 3,
  cni: true,
  cniPlugin: 'kindnet',
  networkPolicy: true,
  kubeconfig: '',
  version: 'v1.33.1',
  minor: 33,
  images: [],
  ...o,
});

describe(corefile.name, () => {
  it('should disable caching of cluster.local answers from 1.32 on, as kubeadm writes it', () => {
    expect(corefile(33)).toContain(
      '    cache 30 {\n       disable success cluster.local\n       disable denial cluster.local\n    }\n',
    );
    expect(corefile(30)).toContain('    cache 30\n    loop\n');
  });
});

describe(defaultClusterRoleBindings.name, () => {
  it('should bind only roles that exist, for every CNI choice', () => {
    for (const o of [options(), options({ cni: false }), options({ cniPlugin: 'calico' })]) {
      const roles = new Set([...defaultClusterRoles(o), ...systemClusterRoles()].map((r) => r.metadata.name));
      for (const b of defaultClusterRoleBindings(o))
        expect(roles, b.metadata.name).toContain((b.roleRef as { name: string }).name);
    }
  });

  it("should carry kubeadm's and the bootstrap policy's bindings as kind 1.33 lists them", () => {
    const byName = new Map(defaultClusterRoleBindings(options()).map((b) => [b.metadata.name, b]));
    const role = (name: string) => (byName.get(name)?.roleRef as { name: string } | undefined)?.name;
    expect(role('kubeadm:get-nodes')).toBe('kubeadm:get-nodes');
    expect(role('kubeadm:kubelet-bootstrap')).toBe('system:node-bootstrapper');
    expect(role('kubeadm:node-autoapprove-bootstrap')).toBe(
      'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
    );
    expect(role('kubeadm:node-autoapprove-certificate-rotation')).toBe(
      'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
    );
    expect(role('system:controller:endpointslice-controller')).toBe(
      'system:controller:endpointslice-controller',
    );
    expect(byName.get('system:controller:endpointslice-controller')?.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'endpointslice-controller', namespace: 'kube-system' },
    ]);
    expect(byName.get('system:node')?.subjects).toBeUndefined();
    expect(byName.get('kindnet')?.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'kindnet', namespace: 'kube-system' },
    ]);
  });

  it('should give kindnet its account only when kindnet is the CNI', () => {
    expect(kubeSystemServiceAccounts(options()).map((s) => s.metadata.name)).toContain('kindnet');
    expect(kubeSystemServiceAccounts(options({ cni: false })).map((s) => s.metadata.name)).not.toContain(
      'kindnet',
    );
    expect(kubeSystemServiceAccounts(options()).map((s) => s.metadata.name)).toEqual(
      expect.arrayContaining(['coredns', 'kube-proxy', 'deployment-controller']),
    );
  });
});
