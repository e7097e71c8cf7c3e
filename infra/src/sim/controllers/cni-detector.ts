import type { V1DaemonSet } from '@kubernetes/client-node';
import type { NewObject } from '../store/object-store';
import { systemDaemonSet } from '../runtime/system-manifests';

/** The CNI plugins the sim recognises from their DaemonSets. */
export type CniPlugin = 'kindnet' | 'calico' | 'flannel' | 'cilium';

const SIGNATURES: { plugin: CniPlugin; names: RegExp; images: RegExp }[] = [
  { plugin: 'kindnet', names: /^kindnet/, images: /kindnetd|\/kindnet(:|$)/ },
  { plugin: 'calico', names: /^calico-node$/, images: /(^|\/)calico\/node(:|@|$)/ },
  {
    plugin: 'flannel',
    names: /^kube-flannel/,
    images: /(^|\/)(flannel\/flannel|flannelcni\/flannel|coreos\/flannel)(:|@|$)/,
  },
  { plugin: 'cilium', names: /^cilium$/, images: /(^|\/)cilium\/cilium(:|@|$)/ },
];

/** Which CNI a DaemonSet installs, by the well-known names and images of the upstream manifests. */
export function detectCni(ds: V1DaemonSet): CniPlugin | undefined {
  const name = ds.metadata?.name ?? '';
  const images = [
    ...(ds.spec?.template.spec?.containers ?? []),
    ...(ds.spec?.template.spec?.initContainers ?? []),
  ].map((c) => c.image ?? '');
  for (const s of SIGNATURES) {
    if (images.some((i) => s.images.test(i))) return s.plugin;
  }
  for (const s of SIGNATURES) if (s.names.test(name)) return s.plugin;
  return undefined;
}

/** Whether the plugin enforces NetworkPolicy (kindnet does from kind v0.24, per the cluster option). */
export function cniEnforcesPolicy(plugin: CniPlugin, kindnetPolicy: boolean): boolean {
  if (plugin === 'flannel') return false;
  if (plugin === 'kindnet') return kindnetPolicy;
  return true;
}

/** A minimal DaemonSet of a CNI other than kindnet, for clusters created with that plugin. */
export function cniDaemonSetFor(plugin: CniPlugin): NewObject {
  switch (plugin) {
    case 'calico':
      return systemDaemonSet('calico-node', { 'k8s-app': 'calico-node' }, 'docker.io/calico/node:v3.28.0');
    case 'flannel':
      return systemDaemonSet(
        'kube-flannel-ds',
        { app: 'flannel', 'k8s-app': 'flannel' },
        'docker.io/flannel/flannel:v0.25.5',
      );
    case 'cilium':
      return systemDaemonSet('cilium', { 'k8s-app': 'cilium' }, 'quay.io/cilium/cilium:v1.15.6');
    default:
      return systemDaemonSet(
        'kindnet',
        { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' },
        'docker.io/kindest/kindnetd:v20240513-cd2ac642',
      );
  }
}
