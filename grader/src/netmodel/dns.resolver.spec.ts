import { describe, expect, it } from 'vitest';
import { DnsResolver } from './dns.resolver';
import { buildNetModel } from './net-model';
import { aCluster, aPod, aService } from './netmodel.factories';
import type { NetworkOptions } from './types';

const state = aCluster({
  pods: [
    aPod('shop', 'client', { app: 'client' }, { ip: '10.244.1.2' }),
    aPod('shop', 'db-0', { app: 'db' }, { ip: '10.244.1.5', hostname: 'db-0', subdomain: 'db' }),
    aPod('shop', 'db-1', { app: 'db' }, { ip: '10.244.1.6', ready: false }),
    aPod('other', 'client', { app: 'client' }, { ip: '10.244.2.2' }),
    aPod('other', 'legacy', { app: 'legacy' }, { ip: '10.244.2.3', dnsPolicy: 'Default' }),
    aPod('other', 'host', { app: 'host' }, { ip: '172.18.0.2', hostNetwork: true }),
    aPod(
      'other',
      'hostdns',
      { app: 'host' },
      { ip: '172.18.0.2', hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' },
    ),
  ],
  services: [
    aService('shop', 'web', { app: 'web' }, [{ name: 'http', port: 80 }], { clusterIP: '10.96.1.1' }),
    aService('shop', 'db', { app: 'db' }, [{ name: 'pg', port: 5432 }], { clusterIP: 'None' }),
    aService('shop', 'gone', { app: 'gone' }, [{ port: 80 }], { clusterIP: 'None' }),
    aService('shop', 'search', undefined, [], { type: 'ExternalName', externalName: 'search.example.com' }),
    aService('shop', 'alias', undefined, [], {
      type: 'ExternalName',
      externalName: 'web.shop.svc.cluster.local',
    }),
  ],
});
const from = (ns: string, name: string) => ({ pod: { namespace: ns, name } });

describe(DnsResolver.name, () => {
  it.each([
    [
      'the short name from the same namespace',
      'web',
      from('shop', 'client'),
      ['A 10.96.1.1'],
      'web.shop.svc.cluster.local',
    ],
    [
      'name.namespace from another namespace',
      'web.shop',
      from('other', 'client'),
      ['A 10.96.1.1'],
      'web.shop.svc.cluster.local',
    ],
    [
      'name.namespace.svc',
      'web.shop.svc',
      from('other', 'client'),
      ['A 10.96.1.1'],
      'web.shop.svc.cluster.local',
    ],
    [
      'the fully-qualified name',
      'web.shop.svc.cluster.local',
      from('other', 'client'),
      ['A 10.96.1.1'],
      'web.shop.svc.cluster.local',
    ],
    [
      'the fully-qualified name with a trailing dot',
      'web.shop.svc.cluster.local.',
      undefined,
      ['A 10.96.1.1'],
      'web.shop.svc.cluster.local',
    ],
    [
      'a headless Service: the ready Pod IPs only',
      'db.shop',
      from('other', 'client'),
      ['A 10.244.1.5'],
      'db.shop.svc.cluster.local',
    ],
    [
      'a headless Service Pod by hostname.subdomain',
      'db-0.db.shop.svc.cluster.local',
      undefined,
      ['A 10.244.1.5'],
      'db-0.db.shop.svc.cluster.local',
    ],
    [
      'a Pod A record (dashed IP)',
      '10-244-1-5.shop.pod.cluster.local',
      undefined,
      ['A 10.244.1.5'],
      '10-244-1-5.shop.pod.cluster.local',
    ],
    [
      'an ExternalName Service: a CNAME',
      'search.shop',
      from('other', 'client'),
      ['CNAME search.example.com'],
      'search.shop.svc.cluster.local',
    ],
    [
      'an ExternalName to a cluster name: CNAME then A',
      'alias',
      from('shop', 'client'),
      ['CNAME web.shop.svc.cluster.local', 'A 10.96.1.1'],
      'alias.shop.svc.cluster.local',
    ],
    [
      'a hostNetwork pod with ClusterFirstWithHostNet',
      'web.shop',
      from('other', 'hostdns'),
      ['A 10.96.1.1'],
      'web.shop.svc.cluster.local',
    ],
  ])('should resolve %s', (_rule, name, source, records, fqdn) => {
    const sut = buildNetModel(state);
    const answer = sut.resolve(name, source);
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.fqdn).toBe(fqdn);
    expect(answer.records.map((r) => `${r.type} ${r.value}`)).toEqual(records);
  });

  it.each([
    [
      'a short name from another namespace',
      'web',
      from('other', 'client'),
      {},
      'NXDOMAIN',
      'there is no Service web in namespace other',
    ],
    [
      'a Service that does not exist',
      'nope.shop',
      from('other', 'client'),
      {},
      'NXDOMAIN',
      'there is no Service nope in namespace shop (Services there: web, db, gone, search, alias)',
    ],
    [
      'a namespace that does not exist',
      'web.nowhere.svc.cluster.local',
      undefined,
      {},
      'NXDOMAIN',
      'namespace nowhere does not exist',
    ],
    [
      'a headless Service without ready endpoints',
      'gone.shop',
      from('other', 'client'),
      {},
      'NXDOMAIN',
      'headless Service shop/gone has no ready endpoints',
    ],
    [
      "a Pod's name under a Service its subdomain does not name",
      'db-0.gone.shop.svc.cluster.local',
      undefined,
      {},
      'NXDOMAIN',
      "Pod shop/db-0 has subdomain db, e.g. its StatefulSet's serviceName, so its own name lives under db, not gone",
    ],
    [
      "a Pod's name when the Pod has no subdomain",
      'db-1.db.shop.svc.cluster.local',
      undefined,
      {},
      'NXDOMAIN',
      'Pod shop/db-1 has no subdomain',
    ],
    [
      'a per-endpoint name no Pod carries',
      'db-9.db.shop.svc.cluster.local',
      undefined,
      {},
      'NXDOMAIN',
      'no Pod in shop has the hostname db-9',
    ],
    [
      'a Pod record in a missing namespace',
      '10-244-1-5.nowhere.pod.cluster.local',
      undefined,
      {},
      'NXDOMAIN',
      'namespace nowhere does not exist',
    ],
    [
      'a per-endpoint name on a ClusterIP Service',
      'x.web.shop.svc.cluster.local',
      undefined,
      {},
      'NXDOMAIN',
      'is not headless',
    ],
    [
      'a pod with dnsPolicy Default',
      'web.shop',
      from('other', 'legacy'),
      {},
      'NXDOMAIN',
      'dnsPolicy Default uses the node resolver',
    ],
    [
      'a hostNetwork pod with dnsPolicy ClusterFirst',
      'web.shop',
      from('other', 'host'),
      {},
      'NXDOMAIN',
      'falls back to the node resolver',
    ],
    [
      'any name when CoreDNS is down',
      'web',
      from('shop', 'client'),
      { dnsAvailable: false },
      'SERVFAIL',
      'cluster DNS (CoreDNS) is not answering',
    ],
    [
      'a name in the default domain when the cluster uses another',
      'web.shop.svc.cluster.local',
      undefined,
      { clusterDomain: 'corp.internal' },
      'NXDOMAIN',
      'outside the cluster domain corp.internal',
    ],
  ])('should fail for %s', (_rule, name, source, options: NetworkOptions, rcode, reason) => {
    const sut = buildNetModel(state, options);
    const answer = sut.resolve(name, source);
    expect(answer.rcode).toBe(rcode);
    expect(answer.reason).toContain(reason);
  });

  it('should honour dnsConfig ndots: with ndots 1 a dotted name is tried as absolute first', () => {
    const pod = aPod('shop', 'tuned', {}, { ip: '10.244.1.9' });
    pod.spec!.dnsConfig = { options: [{ name: 'ndots', value: '1' }] };
    const sut = buildNetModel({ ...state, pods: [...state.pods, pod] });
    expect(sut.resolve('web.shop', from('shop', 'tuned'))).toMatchObject({
      rcode: 'NOERROR',
      fqdn: 'web.shop.svc.cluster.local',
    });
    expect(sut.resolve('web.shop.svc.cluster.local', from('shop', 'tuned')).fqdn).toBe(
      'web.shop.svc.cluster.local',
    );
  });

  it.each([
    [
      'SRV for a named port of a ClusterIP Service',
      '_http._tcp.web.shop.svc.cluster.local',
      ['SRV 0 100 80 web.shop.svc.cluster.local.'],
    ],
    [
      'SRV for a headless Service: one per ready endpoint',
      '_pg._tcp.db.shop.svc.cluster.local',
      ['SRV 0 100 5432 db-0.db.shop.svc.cluster.local.'],
    ],
    ['PTR for a ClusterIP', '1.1.96.10.in-addr.arpa', ['PTR web.shop.svc.cluster.local']],
    ['PTR for a headless endpoint', '5.1.244.10.in-addr.arpa', ['PTR db-0.db.shop.svc.cluster.local']],
  ])('should answer %s', (_rule, name, records) => {
    const answer = buildNetModel(state).resolve(name);
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.records.map((r) => `${r.type} ${r.value}`)).toEqual(records);
  });

  it.each([
    [
      'SRV for a port name the Service lacks',
      '_grpc._tcp.web.shop.svc.cluster.local',
      'Service shop/web has no port named "grpc" for TCP',
    ],
    [
      'PTR for a Pod IP that no headless Service lists',
      '2.1.244.10.in-addr.arpa',
      'no Service ClusterIP or headless Service endpoint has the IP 10.244.1.2',
    ],
  ])('should say NXDOMAIN for %s', (_rule, name, reason) => {
    const answer = buildNetModel(state).resolve(name);
    expect(answer.rcode).toBe('NXDOMAIN');
    expect(answer.reason).toContain(reason);
  });

  it('should use the configured cluster domain in the search path', () => {
    const sut = buildNetModel(state, { clusterDomain: 'corp.internal' });
    expect(sut.resolve('web', from('shop', 'client')).fqdn).toBe('web.shop.svc.corp.internal');
  });
  it('should answer NOERROR with no records (NODATA) and stop the search when an ExternalName points at a missing cluster name', () => {
    const stale = aCluster({
      pods: [aPod('web', 'client', { app: 'client' }, { ip: '10.244.1.2' })],
      services: [
        aService('web', 'backend', undefined, [], {
          type: 'ExternalName',
          externalName: 'orders.legacy.svc.cluster.local',
        }),
      ],
    });
    const sut = buildNetModel(stale);

    const answer = sut.resolve('backend', from('web', 'client'));

    expect(answer).toMatchObject({ rcode: 'NOERROR', fqdn: 'backend.web.svc.cluster.local', records: [] });
    expect(answer.reason).toContain('points at orders.legacy.svc.cluster.local, which does not resolve');
    const reach = sut.reach({ from: from('web', 'client'), to: { dns: 'backend' }, port: 80 });
    expect(reach.verdict).toBe('nxdomain');
    expect(reach.path.at(-1)?.detail).toContain('has no records (NODATA)');
  });
});
