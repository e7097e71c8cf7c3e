import { describe, expect, it } from 'vitest';
import type { ResolvedOptions } from './context';
import {
  corefile,
  defaultClusterRoleBindings,
  defaultClusterRoles,
  kubeSystemServiceAccounts,
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
      const roles = new Set(defaultClusterRoles(o).map((r) => r.metadata.name));
      for (const b of defaultClusterRoleBindings(o))
        expect(roles, b.metadata.name).toContain((b.roleRef as { name: string }).name);
    }
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
