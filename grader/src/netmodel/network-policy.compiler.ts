import type {
  V1LabelSelector,
  V1NetworkPolicy,
  V1NetworkPolicyIngressRule,
  V1NetworkPolicyPeer,
  V1NetworkPolicyPort,
} from '@kubernetes/client-node';
import { GraderError, GraderErrorCode } from '../errors';
import { compileIPBlock, type CompiledIPBlock } from './ip-block';
import { describeLabelSelector, validateLabelSelector } from './label-selector';
import type { Protocol } from './types';

/** Ingress or Egress, as policyTypes spells them. */
export type Direction = 'Ingress' | 'Egress';

/** A `from`/`to` entry: pods picked by selectors (AND within one entry), or an ipBlock. */
export type CompiledPeer =
  | {
      kind: 'pods';
      podSelector?: V1LabelSelector;
      namespaceSelector?: V1LabelSelector;
      /** Per pod index: -1 not yet known, 0 no, 1 yes. */
      members: Int8Array;
    }
  | { kind: 'ipBlock'; block: CompiledIPBlock };

/** One `ports` entry: a number (optionally up to endPort), a name, or every port of a protocol. */
export interface CompiledPort {
  protocol: Protocol;
  port?: number;
  endPort?: number;
  name?: string;
}

/** One ingress or egress rule; `undefined` peers/ports mean "every peer"/"every port". */
export interface CompiledRule {
  index: number;
  peers?: CompiledPeer[];
  ports?: CompiledPort[];
}

/** A NetworkPolicy with its defaults applied and its selectors and CIDRs validated. */
export interface CompiledPolicy {
  policy: V1NetworkPolicy;
  namespace: string;
  name: string;
  key: string;
  podSelector: V1LabelSelector;
  /** Rules per direction; absent when the policy does not govern that direction. */
  ingress?: CompiledRule[];
  egress?: CompiledRule[];
}

const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];

/** Compiles one policy; throws INVALID_INPUT naming the field when the API server would have rejected it. */
export function compilePolicy(policy: V1NetworkPolicy, podCount: number): CompiledPolicy {
  const namespace = policy.metadata?.namespace ?? 'default';
  const name = policy.metadata?.name ?? '';
  const key = `${namespace}/${name}`;
  const where = `NetworkPolicy ${key}: spec`;
  const spec = policy.spec ?? { podSelector: {} };
  const podSelector = spec.podSelector ?? {};
  validateLabelSelector(podSelector, `${where}.podSelector`);
  const types = policyTypes(policy, where);
  const compiled: CompiledPolicy = { policy, namespace, name, key, podSelector };
  if (types.includes('Ingress')) {
    compiled.ingress = (spec.ingress ?? []).map((r, i) =>
      compileRule(i, ingressPeers(r), r.ports, `${where}.ingress[${i}]`, 'from', podCount),
    );
  }
  if (types.includes('Egress')) {
    compiled.egress = (spec.egress ?? []).map((r, i) =>
      compileRule(i, r.to, r.ports, `${where}.egress[${i}]`, 'to', podCount),
    );
  }
  return compiled;
}

/**
 * The `from` list of an ingress rule. Raw API JSON (and YAML) spells it `from`; client-node's model
 * class renames it `_from` because `from` is reserved in its generator, so accept both.
 */
export function ingressPeers(rule: V1NetworkPolicyIngressRule): V1NetworkPolicyPeer[] | undefined {
  return (rule as { from?: V1NetworkPolicyPeer[] }).from ?? rule._from;
}

/** policyTypes as given, or the API default: Ingress, plus Egress when the policy has egress rules. */
export function policyTypes(policy: V1NetworkPolicy, where = 'spec'): Direction[] {
  const given = policy.spec?.policyTypes;
  if (given && given.length > 0) {
    for (const t of given) {
      if (t !== 'Ingress' && t !== 'Egress') {
        throw new GraderError(
          GraderErrorCode.INVALID_INPUT,
          `${where}.policyTypes: "${t}" is not a policy type; expected Ingress or Egress`,
        );
      }
    }
    return given as Direction[];
  }
  return (policy.spec?.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function compileRule(
  index: number,
  peers: V1NetworkPolicyPeer[] | undefined,
  ports: V1NetworkPolicyPort[] | undefined,
  where: string,
  field: 'from' | 'to',
  podCount: number,
): CompiledRule {
  const rule: CompiledRule = { index };
  // A missing or empty list means "everything" for both peers and ports.
  if (peers && peers.length > 0)
    rule.peers = peers.map((p, i) => compilePeer(p, `${where}.${field}[${i}]`, podCount));
  if (ports && ports.length > 0) rule.ports = ports.map((p, i) => compilePort(p, `${where}.ports[${i}]`));
  return rule;
}

function compilePeer(peer: V1NetworkPolicyPeer, where: string, podCount: number): CompiledPeer {
  const hasSelector = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  if (peer.ipBlock && hasSelector) {
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `${where}: ipBlock cannot be combined with podSelector or namespaceSelector in one peer; make them separate peers`,
    );
  }
  if (peer.ipBlock) return { kind: 'ipBlock', block: compileIPBlock(peer.ipBlock, `${where}.ipBlock`) };
  if (!hasSelector) {
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `${where}: a peer needs podSelector, namespaceSelector or ipBlock`,
    );
  }
  if (peer.podSelector) validateLabelSelector(peer.podSelector, `${where}.podSelector`);
  if (peer.namespaceSelector) validateLabelSelector(peer.namespaceSelector, `${where}.namespaceSelector`);
  return {
    kind: 'pods',
    ...(peer.podSelector ? { podSelector: peer.podSelector } : {}),
    ...(peer.namespaceSelector ? { namespaceSelector: peer.namespaceSelector } : {}),
    members: new Int8Array(podCount).fill(-1),
  };
}

function compilePort(port: V1NetworkPolicyPort, where: string): CompiledPort {
  const protocol = port.protocol ?? 'TCP';
  if (!PROTOCOLS.includes(protocol)) {
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `${where}.protocol: "${protocol}" is not supported; expected TCP, UDP or SCTP`,
    );
  }
  const compiled: CompiledPort = { protocol: protocol as Protocol };
  const value = port.port;
  if (value === undefined || value === null) {
    if (port.endPort !== undefined) {
      throw new GraderError(GraderErrorCode.INVALID_INPUT, `${where}.endPort: needs a numeric port`);
    }
    return compiled;
  }
  if (typeof value === 'string' && !/^\d+$/.test(value)) {
    if (port.endPort !== undefined) {
      throw new GraderError(
        GraderErrorCode.INVALID_INPUT,
        `${where}.endPort: cannot be used with the named port "${value}"; use a number`,
      );
    }
    compiled.name = value;
    return compiled;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new GraderError(GraderErrorCode.INVALID_INPUT, `${where}.port: ${value} is not a port (1-65535)`);
  }
  compiled.port = n;
  if (port.endPort !== undefined) {
    if (!Number.isInteger(port.endPort) || port.endPort < n || port.endPort > 65535) {
      throw new GraderError(
        GraderErrorCode.INVALID_INPUT,
        `${where}.endPort: ${port.endPort} must be a port between port (${n}) and 65535`,
      );
    }
    compiled.endPort = port.endPort;
  }
  return compiled;
}

/** A peer in words: `pods app=api in namespace shop`, `any pod in namespaces team=a`, `10.0.0.0/8 except ...`. */
export function describePeer(peer: CompiledPeer, policyNamespace: string): string {
  if (peer.kind === 'ipBlock') {
    const except = peer.block.except.map((e) => e.text);
    return `IPs in ${peer.block.cidr.text}${except.length ? ` except ${except.join(', ')}` : ''}`;
  }
  const pods = peer.podSelector ? describeLabelSelector(peer.podSelector) : '<all>';
  const podWords = pods === '<all>' ? 'any pod' : `pods with ${pods}`;
  if (!peer.namespaceSelector) return `${podWords} in namespace ${policyNamespace}`;
  const ns = describeLabelSelector(peer.namespaceSelector);
  return `${podWords} in ${ns === '<all>' ? 'any namespace' : `namespaces with ${ns}`}`;
}

/** Ports in words: `TCP 80, UDP 53`, `TCP 8000-8080`, `TCP port "http"`, `any port`. */
export function describePorts(ports: CompiledPort[] | undefined): string {
  if (!ports) return 'any port';
  return ports
    .map((p) => {
      if (p.name !== undefined) return `${p.protocol} port "${p.name}"`;
      if (p.port === undefined) return `any ${p.protocol} port`;
      return `${p.protocol} ${p.port}${p.endPort !== undefined ? `-${p.endPort}` : ''}`;
    })
    .join(', ');
}

/** A rule in words: `from pods with app=api in namespace shop on TCP 8080`. */
export function describeRule(rule: CompiledRule, direction: Direction, policyNamespace: string): string {
  const word = direction === 'Ingress' ? 'from' : 'to';
  const peers = rule.peers
    ? rule.peers.map((p) => describePeer(p, policyNamespace)).join(' or ')
    : 'anywhere';
  return `${word} ${peers} on ${describePorts(rule.ports)}`;
}
