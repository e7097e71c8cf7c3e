import { describe, expect, it } from 'vitest';
import { aCluster, aNode, aPod, aService } from '../netmodel/netmodel.factories';
import { Diagnoser } from './diagnose';

const http = [{ name: 'http', containerPort: 8080 }];
const nodes = [aNode('worker', '172.18.0.3'), aNode('control-plane', '172.18.0.2')];
const service = aService('shop', 'web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 'http' }], {
  clusterIP: '10.96.1.1',
});
const client = aPod('shop', 'client', { role: 'client' }, { ip: '10.244.1.2', node: 'worker' });
const source = { namespace: 'shop', labels: { role: 'client' } };

function diagnoserWithServerOn(node: string): Diagnoser {
  const server = aPod('shop', 'web-1', { app: 'web' }, { ip: '10.244.0.5', ports: http, node });
  const state = aCluster({ nodes, pods: [client, server], services: [service] });
  return new Diagnoser({ state, options: { dnsAvailable: true } }, source, 'client');
}

describe('Diagnoser.unexplained', () => {
  it('should point at the Pod network between the nodes when packets are lost across nodes', () => {
    const sut = diagnoserWithServerOn('control-plane');
    const path = sut.reach('web', 80);
    expect(path.allowed).toBe(true);

    const text = sut.unexplained(path, 'the request failed: Connection timed out', true);

    expect(text).toContain('the networking model finds the path open (');
    expect(text).toContain('yet the request failed: Connection timed out');
    expect(text).toContain('from node worker to shop/web-1 on node control-plane');
    expect(text).toContain(
      'are kube-proxy (it translates the Service address) and the CNI agent running on both',
    );
  });

  it('should leave kube-proxy out when the traffic went to a Pod IP', () => {
    const sut = diagnoserWithServerOn('control-plane');
    const text = sut.unexplained(sut.reach('10.244.0.5', 8080), 'the connection was blocked', true);

    expect(text).toContain('is the CNI agent running on both');
    expect(text).not.toContain('kube-proxy');
  });

  it('should only say where the ends run when the failure is not lost packets', () => {
    const sut = diagnoserWithServerOn('control-plane');
    const text = sut.unexplained(sut.reach('web', 80), 'the connection was refused', false);

    expect(text).toContain(
      'The source runs on node worker, shop/web-1 on node control-plane; kube-proxy on worker translates the Service address: is it running there',
    );
    expect(text).not.toContain('CNI');
  });

  it('should not blame the Pod network when both ends run on one node', () => {
    const sut = diagnoserWithServerOn('worker');
    const text = sut.unexplained(sut.reach('web', 80), 'the request failed: Connection timed out', true);

    expect(text).toContain(
      'Both ends run on node worker; kube-proxy on worker translates the Service address',
    );
    expect(text).not.toContain('CNI');
  });
});
