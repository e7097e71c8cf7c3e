import { Graph, layout } from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';
import type { NetMap } from '../../../api/types';

/** A Pod box: who it is, its labels, and which NetworkPolicies isolate it. */
export interface PodData extends Record<string, unknown> {
  kind: 'pod';
  namespace: string;
  name: string;
  ip: string | null;
  ready: boolean;
  labels: Record<string, string>;
  isolatedBy: string[];
}
/** A Service box: its address, ports, selector and how many endpoints it has. */
export interface ServiceData extends Record<string, unknown> {
  kind: 'service';
  namespace: string;
  name: string;
  type: string;
  clusterIP: string | null;
  ports: string;
  selector: Record<string, string>;
  endpoints: number;
  readyEndpoints: number;
}
/** A Kubernetes node: the frame its Pods sit in. */
export interface NodeGroupData extends Record<string, unknown> {
  kind: 'node';
  name: string;
  pods: number;
}
export type MapNodeData = PodData | ServiceData | NodeGroupData;

export const POD_W = 210;
export const POD_H = 78;
const SVC_W = 200;
const SVC_H = 78;
const GROUP_HEADER = 30;
const GROUP_PAD = 14;

const podId = (ns: string, name: string) => `pod:${ns}/${name}`;

/**
 * The lab's namespaces as a picture: Services on top with arrows to their endpoint Pods, Pods
 * framed by the node they run on, and every Pod a NetworkPolicy isolates marked with its policies.
 * dagre places everything (a compound graph: nodes are clusters of Pods).
 */
export function layoutNetMap(input: NetMap): { nodes: Node<MapNodeData>[]; edges: Edge[] } {
  // A node with none of the lab's Pods (e.g. the control plane) would be an empty frame: leave it out.
  const map = { ...input, nodes: input.nodes.filter((n) => n.pods.length > 0) };
  const isolatedBy = new Map<string, string[]>();
  for (const p of map.policies) {
    for (const pod of p.isolates) {
      const id = podId(p.namespace, pod);
      isolatedBy.set(id, [...(isolatedBy.get(id) ?? []), p.name]);
    }
  }

  const g = new Graph({ compound: true });
  g.setGraph({ rankdir: 'TB', nodesep: 22, ranksep: 70, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));

  const podIds = new Set<string>();
  for (const n of map.nodes) {
    g.setNode(`node:${n.name}`, {});
    for (const p of n.pods) {
      const id = podId(p.namespace, p.name);
      podIds.add(id);
      g.setNode(id, { width: POD_W, height: POD_H });
      g.setParent(id, `node:${n.name}`);
    }
  }
  const edges: Edge[] = [];
  for (const s of map.services) {
    const sid = `svc:${s.namespace}/${s.name}`;
    g.setNode(sid, { width: SVC_W, height: SVC_H });
    for (const ep of s.endpoints) {
      if (!ep.pod) continue;
      const target = podId(s.namespace, ep.pod);
      if (!podIds.has(target)) continue;
      g.setEdge(sid, target);
      edges.push({
        id: `${sid}->${target}`,
        source: sid,
        target,
        className: ep.ready ? 'map-edge' : 'map-edge map-edge-notready',
        animated: ep.ready,
      });
    }
  }
  // Keep every Service on the top rank, above the nodes, even one with no endpoints: layout-only
  // edges from each Service to the first Pod of each node (never drawn).
  for (const s of map.services) {
    for (const n of map.nodes) {
      const first = n.pods[0];
      const sid = `svc:${s.namespace}/${s.name}`;
      if (first && !g.hasEdge(sid, podId(first.namespace, first.name)))
        g.setEdge(sid, podId(first.namespace, first.name), { weight: 0 });
    }
  }
  layout(g);

  const nodes: Node<MapNodeData>[] = [];
  for (const n of map.nodes) {
    const gid = `node:${n.name}`;
    const box = g.node(gid);
    // An empty node still gets a frame.
    const width = (box?.width ?? POD_W) + GROUP_PAD * 2;
    const height = (box?.height ?? POD_H / 2) + GROUP_PAD * 2 + GROUP_HEADER;
    const left = (box?.x ?? 0) - width / 2;
    const top = (box?.y ?? 0) - (box?.height ?? 0) / 2 - GROUP_PAD - GROUP_HEADER;
    nodes.push({
      id: gid,
      type: 'nodeGroup',
      position: { x: left, y: top },
      data: { kind: 'node', name: n.name, pods: n.pods.length },
      style: { width, height },
      width,
      height,
      draggable: false,
      selectable: false,
    });
    for (const p of n.pods) {
      const id = podId(p.namespace, p.name);
      const pos = g.node(id);
      nodes.push({
        id,
        type: 'pod',
        parentId: gid,
        extent: 'parent',
        position: { x: pos.x - POD_W / 2 - left, y: pos.y - POD_H / 2 - top },
        data: {
          kind: 'pod',
          namespace: p.namespace,
          name: p.name,
          ip: p.ip,
          ready: p.ready,
          labels: p.labels,
          isolatedBy: isolatedBy.get(id) ?? [],
        },
        width: POD_W,
        height: POD_H,
        draggable: false,
        selectable: false,
      });
    }
  }
  for (const s of map.services) {
    const sid = `svc:${s.namespace}/${s.name}`;
    const pos = g.node(sid);
    nodes.push({
      id: sid,
      type: 'service',
      position: { x: pos.x - SVC_W / 2, y: pos.y - SVC_H / 2 },
      data: {
        kind: 'service',
        namespace: s.namespace,
        name: s.name,
        type: s.type,
        clusterIP: s.clusterIP,
        ports: s.ports.map((p) => `${p.port}→${p.targetPort}`).join(', '),
        selector: s.selector ?? {},
        endpoints: s.endpoints.length,
        readyEndpoints: s.endpoints.filter((e) => e.ready).length,
      },
      width: SVC_W,
      height: SVC_H,
      draggable: false,
      selectable: false,
    });
  }
  return { nodes, edges };
}
