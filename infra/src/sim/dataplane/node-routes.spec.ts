import { describe, expect, it } from 'vitest';
import { NodeRouteChanges, inCidr } from './node-routes';

describe(NodeRouteChanges.name, () => {
  it('should keep a removal until kindnet restores the node', () => {
    const sut = new NodeRouteChanges();

    sut.remove('worker', '10.244.0.0/24');
    expect([...sut.removedOn('worker')]).toEqual(['10.244.0.0/24']);
    sut.restore('worker');

    expect(sut.removedOn('worker').size).toBe(0);
  });

  it('should undo a removal when the same route is added back by hand', () => {
    const sut = new NodeRouteChanges();
    sut.remove('worker', '10.244.0.0/24');

    sut.add('worker', '10.244.0.0/24', '10.244.0.0/24 via 172.18.0.2 dev eth0');

    expect(sut.removedOn('worker').size).toBe(0);
    expect(sut.addedOn('worker')).toEqual([]);
  });

  it('should list a route added by hand and forget it when it is deleted', () => {
    const sut = new NodeRouteChanges();

    sut.add('worker', '10.99.0.0/16', '10.99.0.0/16 via 172.18.0.9 dev eth0');
    expect(sut.addedOn('worker')).toEqual(['10.99.0.0/16 via 172.18.0.9 dev eth0']);
    sut.remove('worker', '10.99.0.0/16');

    expect(sut.addedOn('worker')).toEqual([]);
    expect(sut.removedOn('worker').size).toBe(0);
  });
});

describe(inCidr.name, () => {
  it.each([
    ['10.244.0.7', '10.244.0.0/24', true],
    ['10.244.1.7', '10.244.0.0/24', false],
    ['10.244.1.7', '10.244.0.0/16', true],
    ['172.18.0.3', '0.0.0.0/0', true],
    ['1.2.3.4', 'default', true],
    ['10.244.0.7', '10.244.0.7', true],
  ])('should say %s in %s is %s', (ip, cidr, expected) => {
    expect(inCidr(ip, cidr)).toBe(expected);
  });
});
