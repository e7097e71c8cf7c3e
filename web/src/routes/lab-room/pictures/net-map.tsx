import '@xyflow/react/dist/style.css';
import { useQuery } from '@tanstack/react-query';
import { Background, Controls, Handle, type Node, type NodeProps, Position, ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { netmodelQuery } from '../../../api/queries';
import { ErrorPanel } from '../../../components/error-panel';
import {
  layoutNetMap,
  type MapNodeData,
  type NodeGroupData,
  type PodData,
  type ServiceData,
} from './netmap-layout';

function PodNode({ data }: NodeProps<Node<PodData>>) {
  const isolated = data.isolatedBy.length > 0;
  const labels = Object.entries(data.labels).filter(([k]) => k !== 'pod-template-hash');
  return (
    <div className={`map-pod${isolated ? ' map-pod-isolated' : ''}${data.ready ? '' : ' map-pod-notready'}`}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="map-pod-head">
        <span className={data.ready ? 'dot-ready' : 'dot-notready'} aria-hidden="true" />
        <span className="map-pod-name" title={`${data.namespace}/${data.name}`}>
          {data.name}
        </span>
      </div>
      <div className="map-pod-ip">{data.ip ?? 'no IP'}</div>
      <div className="map-labels">
        {labels.slice(0, 3).map(([k, v]) => (
          <span key={k} className="map-label">
            {k}={v}
          </span>
        ))}
        {labels.length > 3 ? <span className="map-label">+{labels.length - 3}</span> : null}
      </div>
      {isolated ? (
        <div className="map-policy" title={`Isolated by ${data.isolatedBy.join(', ')}`}>
          🛡 {data.isolatedBy.join(', ')}
        </div>
      ) : null}
    </div>
  );
}

function ServiceNode({ data }: NodeProps<Node<ServiceData>>) {
  const none = data.endpoints === 0;
  return (
    <div className={`map-svc${none ? ' map-svc-empty' : ''}`}>
      <div className="map-svc-head">
        <span className="map-svc-kind">svc</span>
        <span className="map-svc-name">{data.name}</span>
      </div>
      <div className="map-pod-ip">
        {data.clusterIP ?? data.type} · {data.ports}
      </div>
      <div className="map-labels">
        {Object.entries(data.selector).map(([k, v]) => (
          <span key={k} className="map-label map-label-selector">
            {k}={v}
          </span>
        ))}
      </div>
      <div className={none ? 'map-svc-eps map-svc-eps-none' : 'map-svc-eps'}>
        {none ? 'no endpoints' : `${data.readyEndpoints}/${data.endpoints} endpoints ready`}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

function NodeGroup({ data }: NodeProps<Node<NodeGroupData>>) {
  return (
    <div className="map-node">
      <span className="map-node-name">node {data.name}</span>
    </div>
  );
}

const nodeTypes = { pod: PodNode, service: ServiceNode, nodeGroup: NodeGroup };

/** A live map of the lab's namespaces, from the networking model; refreshed as the cluster changes. */
export function NetMapView({ attemptId }: { attemptId: string }) {
  const q = useQuery({ ...netmodelQuery(attemptId), refetchInterval: 10_000 });
  const graph = useMemo(() => (q.data ? layoutNetMap(q.data) : null), [q.data]);
  if (q.isError) return <ErrorPanel error={q.error} title="The map could not be drawn" />;
  if (!graph || !q.data)
    return (
      <div className="map-loading" aria-busy="true">
        Reading the cluster…
      </div>
    );
  return (
    <figure className="netmap" data-testid="net-map">
      <div className="netmap-flow">
        <ReactFlow<Node<MapNodeData>>
          nodes={graph.nodes}
          edges={graph.edges}
          nodeTypes={nodeTypes}
          fitView
          fitViewOptions={{ padding: 0.06, maxZoom: 1 }}
          minZoom={0.2}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={18} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      <figcaption className="netmap-caption">
        <span>Namespaces: {q.data.namespaces.join(', ') || '—'}</span>
        <span>{summary(q.data)}</span>
        <span className="netmap-legend">
          <span className="legend-isolated" /> isolated by a NetworkPolicy
        </span>
      </figcaption>
    </figure>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function summary(map: {
  nodes: { pods: unknown[] }[];
  services: unknown[];
  policies: { isolates: string[] }[];
}): string {
  const pods = map.nodes.reduce((n, x) => n + x.pods.length, 0);
  const nodes = map.nodes.filter((n) => n.pods.length > 0).length;
  const isolated = new Set(map.policies.flatMap((p) => p.isolates)).size;
  return (
    `${plural(pods, 'Pod')} on ${plural(nodes, 'node')} · ${plural(map.services.length, 'Service')} · ` +
    `${plural(map.policies.length, 'NetworkPolicy')}`.replace('NetworkPolicys', 'NetworkPolicies') +
    (isolated ? ` isolating ${plural(isolated, 'Pod')}` : '')
  );
}
