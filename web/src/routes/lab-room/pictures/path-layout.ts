import { Graph, layout } from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';
import type { PathLink } from '../../../api/types';

/** What a hop box shows. */
export interface HopData extends Record<string, unknown> {
  hop: PathLink['hop'];
  label: string;
  /** ok: traffic got through; broken: the first link that fails; unreached: after the break. */
  state: 'ok' | 'broken' | 'unreached';
  reason?: string | undefined;
}

export const HOP_NAME: Record<PathLink['hop'], string> = {
  source: 'Source Pod',
  dns: 'DNS',
  service: 'Service',
  endpoints: 'Endpoints',
  policy: 'NetworkPolicy',
  listener: 'Listener',
  target: 'Target',
};

const HOP_W = 118;
const HOP_H = 56;

/** The index of the first link that breaks, or -1 when the whole path works. */
export const brokenIndex = (path: readonly PathLink[]): number => path.findIndex((l) => !l.ok);

/**
 * The path source → … → target as boxes laid out left to right by dagre; the first broken hop and
 * the edge into it are marked with the reason, and the hops behind it are shown as not reached.
 */
export function layoutPath(path: readonly PathLink[]): { nodes: Node<HopData>[]; edges: Edge[] } {
  const broken = brokenIndex(path);
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 26, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  path.forEach((_, i) => g.setNode(`hop-${i}`, { width: HOP_W, height: HOP_H }));
  for (let i = 1; i < path.length; i++) g.setEdge(`hop-${i - 1}`, `hop-${i}`);
  layout(g);

  const nodes: Node<HopData>[] = path.map((link, i) => {
    const pos = g.node(`hop-${i}`);
    const state: HopData['state'] =
      broken === -1 || i < broken ? 'ok' : i === broken ? 'broken' : 'unreached';
    return {
      id: `hop-${i}`,
      type: 'hop',
      position: { x: pos.x - HOP_W / 2, y: pos.y - HOP_H / 2 },
      data: { hop: link.hop, label: link.label, state, reason: link.reason },
      draggable: false,
      selectable: false,
      width: HOP_W,
      height: HOP_H,
    };
  });
  const edges: Edge[] = path.slice(1).map((_, j) => {
    const i = j + 1;
    const isBreak = i === broken;
    return {
      id: `e-${i}`,
      source: `hop-${i - 1}`,
      target: `hop-${i}`,
      type: 'straight',
      animated: broken === -1 || i < broken,
      className: isBreak ? 'edge-broken' : broken !== -1 && i > broken ? 'edge-unreached' : 'edge-ok',
      ...(isBreak ? { label: '✕', labelStyle: { fontWeight: 700 } } : {}),
    };
  });
  return { nodes, edges };
}
