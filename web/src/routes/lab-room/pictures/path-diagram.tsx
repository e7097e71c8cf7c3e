import '@xyflow/react/dist/style.css';
import { Handle, type Node, type NodeProps, Position, ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import type { PathLink } from '../../../api/types';
import { brokenIndex, HOP_NAME, type HopData, layoutPath } from './path-layout';

function HopNode({ data }: NodeProps<Node<HopData>>) {
  return (
    <div className={`hop hop-${data.state}`}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <span className="hop-kind">{HOP_NAME[data.hop]}</span>
      {data.label && data.label !== data.hop ? (
        <span className="hop-label" title={data.label}>
          {data.label}
        </span>
      ) : null}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}
const nodeTypes = { hop: HopNode };

/** Source Pod → DNS → Service → endpoints → NetworkPolicy → listener → target, with the break marked. */
export function PathDiagram({ path }: { path: PathLink[] }) {
  const { nodes, edges } = useMemo(() => layoutPath(path), [path]);
  const broken = brokenIndex(path);
  const link = broken >= 0 ? path[broken] : undefined;
  return (
    <figure className="path-figure" data-testid="path-diagram" data-broken-hop={link?.hop ?? ''}>
      <div className="path-flow" aria-hidden="true">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          fitView
          fitViewOptions={{ padding: 0.08, maxZoom: 1 }}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          panOnDrag={false}
          zoomOnScroll={false}
          zoomOnPinch={false}
          zoomOnDoubleClick={false}
          preventScrolling={false}
          proOptions={{ hideAttribution: true }}
        />
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
