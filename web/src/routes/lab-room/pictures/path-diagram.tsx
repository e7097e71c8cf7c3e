import { useMemo } from 'react';
import type { PathLink } from '../../../api/types';
import { brokenIndex, HOP_NAME, type HopBox, type HopEdge, layoutPath } from './path-layout';

/** One hop as a box: its kind and its name (the SVG scales the whole drawing to the pane). */
function Hop({ box }: { box: HopBox }) {
  const { data } = box;
  return (
    <foreignObject x={box.x} y={box.y} width={box.width} height={box.height}>
      <div className={`hop hop-${data.state}`}>
        <span className="hop-kind">{HOP_NAME[data.hop]}</span>
        {data.label && data.label !== data.hop ? (
          <span className="hop-label" title={data.label}>
            {data.label}
          </span>
        ) : null}
      </div>
    </foreignObject>
  );
}

/** A link along dagre's route, with an arrowhead; the broken one carries a ✕ halfway. */
function Link({ edge }: { edge: HopEdge }) {
  const d = edge.points.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ');
  const first = edge.points[0];
  const last = edge.points[edge.points.length - 1];
  return (
    <g className={`path-edge ${edge.className}`}>
      <path d={d} markerEnd={`url(#path-arrow-${edge.className})`} />
      {edge.className === 'edge-broken' && first && last ? (
        <g transform={`translate(${(first.x + last.x) / 2},${(first.y + last.y) / 2})`}>
          <circle r={8} />
          <text textAnchor="middle" dominantBaseline="central">
            ✕
          </text>
        </g>
      ) : null}
    </g>
  );
}

/** Source Pod → DNS → Service → endpoints → NetworkPolicy → listener → target, with the break marked. */
export function PathDiagram({ path }: { path: PathLink[] }) {
  const { nodes, edges, width, height } = useMemo(() => layoutPath(path), [path]);
  const broken = brokenIndex(path);
  const link = broken >= 0 ? path[broken] : undefined;
  return (
    <figure className="path-figure" data-testid="path-diagram" data-broken-hop={link?.hop ?? ''}>
      <div className="path-flow" aria-hidden="true">
        <svg
          className="path-svg"
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
          preserveAspectRatio="xMidYMid meet"
        >
          <defs>
            {(['edge-ok', 'edge-broken', 'edge-unreached'] as const).map((c) => (
              <marker
                key={c}
                id={`path-arrow-${c}`}
                className={`path-arrow ${c}`}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L10,5 L0,10 z" />
              </marker>
            ))}
          </defs>
          {edges.map((e) => (
            <Link key={e.id} edge={e} />
          ))}
          {nodes.map((n) => (
            <Hop key={n.id} box={n} />
          ))}
        </svg>
      </div>
      <figcaption>
        {link ? (
          <>
            <strong className="path-break-label">Breaks at {HOP_NAME[link.hop]}</strong>
            {link.reason ? <span data-testid="path-reason"> — {link.reason}</span> : null}
          </>
        ) : (
          <span>Every link of the path works.</span>
        )}
        <ol className="visually-hidden">
          {path.map((l, i) => (
            <li key={i}>
              {HOP_NAME[l.hop]} {l.label}: {l.ok ? 'ok' : `broken${l.reason ? `, ${l.reason}` : ''}`}
            </li>
          ))}
        </ol>
      </figcaption>
    </figure>
  );
}
