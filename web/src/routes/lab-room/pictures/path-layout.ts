import { Graph, layout } from '@dagrejs/dagre';
import type { PathLink } from '../../../api/types';

/** What a hop box shows. */
export interface HopData {
  hop: PathLink['hop'];
  label: string;
  /** ok: traffic got through; broken: the first link that fails; unreached: after the break. */
  state: 'ok' | 'broken' | 'unreached';
  reason?: string | undefined;
}

/** A hop box where dagre placed it (top-left corner). */
export interface HopBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  data: HopData;
}

/** A link between two hops, routed by dagre. */
export interface HopEdge {
  id: string;
  source: string;
  target: string;
  points: { x: number; y: number }[];
  className: 'edge-ok' | 'edge-broken' | 'edge-unreached';
}

/** The laid-out path: boxes, links and the size of the drawing. */
export interface PathLayout {
  nodes: HopBox[];
  edges: HopEdge[];
  width: number;
  height: number;
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
export function layoutPath(path: readonly PathLink[]): PathLayout {
  const broken = brokenIndex(path);
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 34, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  path.forEach((_, i) => g.setNode(`hop-${i}`, { width: HOP_W, height: HOP_H }));
  for (let i = 1; i < path.length; i++) g.setEdge(`hop-${i - 1}`, `hop-${i}`);
  layout(g);

  const nodes: HopBox[] = path.map((link, i) => {
    const pos = g.node(`hop-${i}`);
    const state: HopData['state'] =
      broken === -1 || i < broken ? 'ok' : i === broken ? 'broken' : 'unreached';
    return {
      id: `hop-${i}`,
      x: pos.x - HOP_W / 2,
      y: pos.y - HOP_H / 2,
      width: HOP_W,
      height: HOP_H,
      data: { hop: link.hop, label: link.label, state, reason: link.reason },
    };
  });
  const edges: HopEdge[] = path.slice(1).map((_, j) => {
    const i = j + 1;
    const source = `hop-${i - 1}`;
    const target = `hop-${i}`;
    return {
      id: `e-${i}`,
      source,
      target,
      points: (g.edge(source, target) as { points: { x: number; y: number }[] }).points.map((p) => ({
        x: p.x,
        y: p.y,
      })),
      className: i === broken ? 'edge-broken' : broken !== -1 && i > broken ? 'edge-unreached' : 'edge-ok',
    };
  });
  const { width = 0, height = 0 } = g.graph();
  return { nodes, edges, width, height };
}
