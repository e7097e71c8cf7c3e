import { stringify } from 'yaml';
import type { ClusterSpec } from '../provider';
import { OWNER_LABEL, OWNER_VALUE } from './kind-names';

/** Cluster-wide settings of the generated kind config. */
export interface KindConfigOptions {
  /** Pod CIDR; a lab that installs its own CNI (no-CNI lab) must use the same one. */
  podSubnet: string;
  /** Service CIDR. */
  serviceSubnet: string;
  /** Node image (e.g. `kindest/node:v1.31.2@sha256:...`); kind's default for its version when absent. */
  nodeImage?: string;
}

/** kind's own defaults, written out so the no-CNI lab's CNI manifest can rely on them. */
export const DEFAULT_KIND_CONFIG_OPTIONS: KindConfigOptions = {
  podSubnet: '10.244.0.0/16',
  serviceSubnet: '10.96.0.0/16',
};

/** One node of a kind config (`kind.x-k8s.io/v1alpha4`). */
export interface KindNodeConfig {
  role: 'control-plane' | 'worker';
  image?: string;
  labels: Record<string, string>;
}

/** The kind cluster config (`kind.x-k8s.io/v1alpha4`) netlab generates. */
export interface KindClusterConfig {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name: string;
  nodes: KindNodeConfig[];
  networking: { disableDefaultCNI: boolean; podSubnet: string; serviceSubnet: string };
}

/** The kind config for a spec: one control-plane plus (nodes - 1) workers, each labelled as netlab's. */
export function buildKindConfig(spec: ClusterSpec, options: KindConfigOptions): KindClusterConfig {
  const labels = { [OWNER_LABEL]: OWNER_VALUE, ...spec.labels };
  const node = (role: KindNodeConfig['role']): KindNodeConfig => ({
    role,
    ...(options.nodeImage ? { image: options.nodeImage } : {}),
    labels: { ...labels },
  });
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: spec.name,
    nodes: [node('control-plane'), ...Array.from({ length: spec.nodes - 1 }, () => node('worker'))],
    networking: {
      disableDefaultCNI: !spec.cni,
      podSubnet: options.podSubnet,
      serviceSubnet: options.serviceSubnet,
    },
  };
}

/** The config as YAML, as `kind create cluster --config -` reads it. */
export function kindConfigYaml(config: KindClusterConfig): string {
  return stringify(config);
}
