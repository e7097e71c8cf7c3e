import { describe, expect, it } from 'vitest';
import { GraderErrorCode } from '../errors';
import { parseClusterState } from './cluster-state.parser';

// Shaped like `kubectl get ns,pods,svc,endpointslices,networkpolicies,nodes -A -o yaml`.
const LIST = `apiVersion: v1
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    labels:
      kubernetes.io/metadata.name: shop
    name: shop
- apiVersion: v1
  kind: Pod
  metadata:
    creationTimestamp: "2026-11-21T10:00:00Z"
    labels:
      app: web
    name: web-1
    namespace: shop
  spec:
    containers:
    - image: nginx
      name: nginx
      ports:
      - containerPort: 80
        name: http
        protocol: TCP
    nodeName: kind-worker
  status:
    conditions:
    - status: "True"
      type: Ready
    phase: Running
    podIP: 10.244.1.5
    podIPs:
    - ip: 10.244.1.5
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: shop
  spec:
    clusterIP: 10.96.12.34
    ports:
    - port: 80
      protocol: TCP
      targetPort: http
    selector:
      app: web
    type: ClusterIP
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: allow-web
    namespace: shop
  spec:
    podSelector: {}
    ingress:
    - from:
      - podSelector: {}
kind: List
metadata:
  resourceVersion: ""
`;

describe(parseClusterState.name, () => {
  it('should read a kubectl List and leave EndpointSlices to be computed when it has none', () => {
    const sut = parseClusterState(LIST);
    expect(sut.namespaces.map((n) => n.metadata?.name)).toEqual(['shop']);
    expect(sut.pods.map((p) => p.status?.podIP)).toEqual(['10.244.1.5']);
    expect(sut.services[0]?.spec?.ports?.[0]?.targetPort).toBe('http');
    expect(sut.networkPolicies).toHaveLength(1);
    expect(sut.endpointSlices).toBeUndefined();
  });

  it('should read multi-document YAML with EndpointSlices and ignore kinds the model does not need', () => {
    const sut = parseClusterState(`kind: Pod
apiVersion: v1
metadata: {name: a, namespace: x}
---
kind: EndpointSlice
apiVersion: discovery.k8s.io/v1
metadata: {name: s-abcde, namespace: x, labels: {kubernetes.io/service-name: s}}
addressType: IPv4
endpoints: []
---
kind: ConfigMap
apiVersion: v1
metadata: {name: c, namespace: x}
---
`);
    expect(sut.pods).toHaveLength(1);
    expect(sut.endpointSlices).toHaveLength(1);
  });

  it('should read JSON as well (kubectl -o json)', () => {
    const sut = parseClusterState(
      JSON.stringify({ kind: 'List', items: [{ kind: 'Node', metadata: { name: 'n1' } }] }),
    );
    expect(sut.nodes.map((n) => n.metadata?.name)).toEqual(['n1']);
  });

  it.each([
    ['text that is not YAML', 'kind: [oops\n', /cluster state: not valid YAML \(document 1\)/],
    ['a scalar document', 'hello world', /expected a Kubernetes object .* got the text "hello world"/],
    [
      'an object without kind',
      'metadata: {name: a}',
      /missing "kind"; expected a List or one of Namespace, Pod/,
    ],
    ['an object without a name', 'kind: Pod\nmetadata: {}', /Pod has no metadata.name/],
    [
      'a kind the model does not know',
      'kind: Gateway\nmetadata: {name: g}',
      /kind Gateway \(g\) is not understood/,
    ],
    ['an empty file', '', /no Kubernetes objects found; expected the output of kubectl get ns,pods/],
  ])('should reject %s with INVALID_INPUT', (_what, text, message) => {
    expect(() => parseClusterState(text)).toThrow(
      expect.objectContaining({
        code: GraderErrorCode.INVALID_INPUT,
        message: expect.stringMatching(message),
      }),
    );
  });
});
