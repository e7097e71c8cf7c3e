import { describe, expect, it } from 'vitest';
import type { PathLink } from '../../../api/types';
import { brokenIndex, layoutPath } from './path-layout';

const path = (brokenAt: number | null): PathLink[] =>
  (['source', 'dns', 'service', 'endpoints', 'policy', 'listener', 'target'] as const).map((hop, i) => ({
    hop,
    label: `${hop}-label`,
    ok: brokenAt === null || i < brokenAt,
    ...(i === brokenAt ? { reason: `${hop} is broken` } : {}),
  }));

describe(layoutPath.name, () => {
  it('should mark the first failing hop broken and the hops after it unreached when the path breaks', () => {
    const sut = layoutPath(path(4));
    expect(sut.nodes.map((n) => n.data.state)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'broken',
      'unreached',
      'unreached',
    ]);
    expect(sut.nodes[4]!.data.reason).toBe('policy is broken');
    expect(sut.edges.find((e) => e.className === 'edge-broken')).toMatchObject({
      source: 'hop-3',
      target: 'hop-4',
    });
  });

  it('should lay the hops out left to right in path order when laying out', () => {
    const xs = layoutPath(path(null)).nodes.map((n) => n.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(new Set(layoutPath(path(null)).nodes.map((n) => n.y)).size).toBe(1);
  });

  it('should route each link from one box to the next inside the drawing when laying out', () => {
    const sut = layoutPath(path(2));
    for (const edge of sut.edges) {
      const from = sut.nodes.find((n) => n.id === edge.source)!;
      const to = sut.nodes.find((n) => n.id === edge.target)!;
      expect(edge.points[0]!.x).toBeGreaterThanOrEqual(from.x + from.width - 1);
      expect(edge.points.at(-1)!.x).toBeLessThanOrEqual(to.x + 1);
    }
    expect(Math.max(...sut.nodes.map((n) => n.x + n.width))).toBeLessThanOrEqual(sut.width);
  });

  it('should mark nothing broken when every link is ok', () => {
    const sut = layoutPath(path(null));
    expect(brokenIndex(path(null))).toBe(-1);
    expect(sut.nodes.every((n) => n.data.state === 'ok')).toBe(true);
    expect(sut.edges.every((e) => e.className === 'edge-ok')).toBe(true);
  });
});
