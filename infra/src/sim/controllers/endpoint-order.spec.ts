import type { V1Endpoint } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { orderLikeController } from './endpoint-order';

function anEndpoint(pod: string, ip: string, ready = true): V1Endpoint {
  return {
    addresses: [ip],
    conditions: { ready },
    targetRef: { kind: 'Pod', namespace: 'default', name: pod },
  };
}

const names = (endpoints: V1Endpoint[]) => endpoints.map((e) => e.targetRef?.name);

describe(orderLikeController.name, () => {
  it('should keep the order the slice already has when the same pods are still wanted', () => {
    const previous = [
      anEndpoint('c', '10.244.1.9'),
      anEndpoint('a', '10.244.1.2'),
      anEndpoint('b', '10.244.2.3'),
    ];
    const wanted = [
      anEndpoint('a', '10.244.1.2'),
      anEndpoint('b', '10.244.2.3'),
      anEndpoint('c', '10.244.1.9'),
    ];

    const sut = orderLikeController(wanted, previous, () => 0);

    expect(names(sut)).toEqual(['c', 'a', 'b']);
  });

  it('should keep an endpoint in its place when only its conditions change', () => {
    const previous = [anEndpoint('b', '10.244.2.3'), anEndpoint('a', '10.244.1.2')];
    const wanted = [anEndpoint('a', '10.244.1.2'), anEndpoint('b', '10.244.2.3', false)];

    const sut = orderLikeController(wanted, previous, () => 0);

    expect(sut.map((e) => [e.targetRef?.name, e.conditions?.ready])).toEqual([
      ['b', false],
      ['a', true],
    ]);
  });

  it('should drop removed endpoints and append new ones after the kept ones when pods are replaced', () => {
    const previous = [anEndpoint('old', '10.244.1.2'), anEndpoint('b', '10.244.2.3')];
    const wanted = [anEndpoint('b', '10.244.2.3'), anEndpoint('new', '10.244.1.7')];

    const sut = orderLikeController(wanted, previous, () => 0.5);

    expect(names(sut)).toEqual(['b', 'new']);
  });

  it('should list new endpoints in the order its draws give when the slice is new', () => {
    const wanted = ['a', 'b', 'c', 'd'].map((n, i) => anEndpoint(n, `10.244.1.${i + 2}`));
    const draws = [0, 0, 0];

    const sut = orderLikeController(wanted, [], () => draws.shift() ?? 0);

    expect(names(sut)).toEqual(['b', 'c', 'd', 'a']);
  });
});
