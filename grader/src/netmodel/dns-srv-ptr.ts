import type { ClusterIndex, ServiceEntry } from './cluster-index';
import type { DnsRecord } from './types';
import { serviceBackends } from './service-endpoints';

/** SRV or PTR records as CoreDNS answers them, or why there are none (NXDOMAIN). */
export type ExtraAnswer = { records: DnsRecord[] } | { reason: string };

/**
 * `_port._proto.svc.ns.svc.<zone>`: one SRV per ready endpoint for a headless Service (target: the
 * endpoint's hostname or dashed IP), or one pointing at the Service name for a ClusterIP Service.
 */
export function srvRecords(index: ClusterIndex, zone: string, fqdn: string, labels: string[]): ExtraAnswer {
  const [port, proto, name, namespace] = labels as [string, string, string, string];
  const entry = index.services.get(`${namespace}/${name}`);
  if (!entry || entry.service.spec?.type === 'ExternalName')
    return { reason: `there is no Service ${name} in namespace ${namespace} for SRV records` };
  const servicePort = (entry.service.spec?.ports ?? []).find(
    (p) => p.name === port.slice(1) && (p.protocol ?? 'TCP').toLowerCase() === proto.slice(1),
  );
  if (!servicePort)
    return {
      reason: `Service ${entry.key} has no port named "${port.slice(1)}" for ${proto.slice(1).toUpperCase()}`,
    };
  const host = `${name}.${namespace}.svc.${zone}`;
  if (entry.service.spec?.clusterIP !== 'None') {
    return { records: [{ type: 'SRV', name: fqdn, value: `0 100 ${servicePort.port} ${host}.` }] };
  }
  const ready = serviceBackends(index, entry, servicePort).filter((b) => b.ready);
  if (ready.length === 0) return { reason: `headless Service ${entry.key} has no ready endpoints` };
  const weight = Math.floor(100 / ready.length);
  return {
    records: ready.map((b) => ({
      type: 'SRV' as const,
      name: fqdn,
      value: `0 ${weight} ${b.port} ${endpointName(entry, b.ip)}.${host}.`,
    })),
  };
}

/** `d.c.b.a.in-addr.arpa`: CoreDNS answers PTR for ClusterIPs and for headless Services' endpoints only. */
export function ptrRecords(index: ClusterIndex, zone: string, fqdn: string): ExtraAnswer {
  const octets = fqdn.slice(0, -'.in-addr.arpa'.length).split('.').reverse();
  const ip = octets.join('.');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) {
    return { reason: `${fqdn} is not the reverse name of an IPv4 address` };
  }
  const service = index.servicesByIP.get(ip);
  if (service)
    return {
      records: [{ type: 'PTR', name: fqdn, value: `${service.name}.${service.namespace}.svc.${zone}` }],
    };
  for (const entry of index.services.values()) {
    if (entry.service.spec?.clusterIP !== 'None') continue;
    for (const slice of entry.slices) {
      if ((slice.endpoints ?? []).some((e) => e.addresses?.includes(ip) && e.conditions?.ready !== false)) {
        return {
          records: [
            {
              type: 'PTR',
              name: fqdn,
              value: `${endpointName(entry, ip)}.${entry.name}.${entry.namespace}.svc.${zone}`,
            },
          ],
        };
      }
    }
  }
  return {
    reason: `no Service ClusterIP or headless Service endpoint has the IP ${ip} (CoreDNS answers reverse lookups only for those)`,
  };
}

/** An endpoint's DNS label: its hostname, else its IP with dashes. */
function endpointName(entry: ServiceEntry, ip: string): string {
  for (const slice of entry.slices) {
    const hit = (slice.endpoints ?? []).find((e) => e.addresses?.includes(ip));
    if (hit?.hostname) return hit.hostname;
  }
  return ip.replaceAll('.', '-');
}
