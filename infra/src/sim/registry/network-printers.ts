import type { StoredObject } from '../store/object-store';
import {
  AGE,
  NAME,
  ageOf,
  arr,
  col,
  formatLabelSelector,
  formatLabels,
  joinMore,
  num,
  printer,
  rec,
  str,
} from './printer-helpers';
import type { TablePrinter } from './resource-definition';

/** Printers of Services, endpoints, NetworkPolicy and Ingress. */
export const NETWORK_PRINTERS: Record<string, TablePrinter> = {
  Service: printer(
    [
      NAME,
      col('Type', 'string', 0, 'type determines how the Service is exposed.'),
      col('Cluster-IP', 'string', 0, 'clusterIP is the IP address of the service.'),
      col(
        'External-IP',
        'string',
        0,
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
      ),
      col('Port(s)', 'string', 0, 'The list of ports that are exposed by this service.'),
      AGE,
      col(
        'Selector',
        'string',
        1,
        'Route service traffic to pods with label keys and values matching this selector.',
      ),
    ],
    (o, now) => {
      const spec = rec(o, 'spec');
      const ports = arr(spec, 'ports').map((p) =>
        p.nodePort
          ? `${num(p.port)}:${num(p.nodePort)}/${str(p.protocol, 'TCP')}`
          : `${num(p.port)}/${str(p.protocol, 'TCP')}`,
      );
      return [
        o.metadata.name,
        str(spec.type, 'ClusterIP'),
        str(spec.clusterIP),
        serviceExternalIp(o),
        ports.length ? ports.join(',') : '<none>',
        ageOf(o, now),
        formatLabels(spec.selector),
      ];
    },
  ),
  Endpoints: printer([NAME, col('Endpoints', 'string', 0, 'Endpoints of the service'), AGE], (o, now) => {
    const items: string[] = [];
    for (const s of arr(o, 'subsets')) {
      const ports = arr(s, 'ports');
      for (const a of arr(s, 'addresses')) {
        if (ports.length === 0) items.push(String(a.ip));
        for (const p of ports) items.push(`${String(a.ip)}:${num(p.port)}`);
      }
    }
    return [o.metadata.name, items.length ? joinMore(items) : '<none>', ageOf(o, now)];
  }),
  EndpointSlice: printer(
    [
      NAME,
      col('AddressType', 'string', 0, 'The IP protocol for this slice'),
      col('Ports', 'string', 0, 'The ports for this slice'),
      col('Endpoints', 'string', 0, 'First 3 endpoints for this slice'),
      AGE,
    ],
    (o, now) => {
      const ports = arr(o, 'ports').map((p) => (typeof p.port === 'number' ? String(p.port) : '<unset>'));
      const addrs = arr(o, 'endpoints').flatMap((e) =>
        Array.isArray(e.addresses) ? (e.addresses as string[]) : [],
      );
      return [
        o.metadata.name,
        str(o.addressType, ''),
        ports.length ? ports.join(',') : '<unset>',
        addrs.length ? joinMore(addrs) : '<unset>',
        ageOf(o, now),
      ];
    },
  ),
  NetworkPolicy: printer(
    [
      NAME,
      col('Pod-Selector', 'string', 0, 'Selects the pods to which this NetworkPolicy object applies.'),
      AGE,
    ],
    (o, now) => [o.metadata.name, formatLabelSelector(rec(o, 'spec').podSelector), ageOf(o, now)],
  ),
  Ingress: printer(
    [
      NAME,
      col('Class', 'string', 0, 'ingressClassName is the name of an IngressClass cluster resource.'),
      col('Hosts', 'string', 0, 'Hosts that incoming requests are matched against before the ingress rule'),
      col('Address', 'string', 0, 'Address is a list containing ingress points for the load-balancer'),
      col('Ports', 'string', 0, 'Ports of TLS configurations that open'),
      AGE,
    ],
    (o, now) => {
      const spec = rec(o, 'spec');
      const hosts = arr(spec, 'rules').map((r) => str(r.host, '*'));
      const addrs = arr(o, 'status', 'loadBalancer', 'ingress').map((i) => String(i.ip ?? i.hostname ?? ''));
      return [
        o.metadata.name,
        str(spec.ingressClassName),
        hosts.length ? joinMore(hosts) : '*',
        addrs.join(','),
        arr(spec, 'tls').length ? '80, 443' : '80',
        ageOf(o, now),
      ];
    },
  ),
  IngressClass: printer(
    [
      NAME,
      col('Controller', 'string', 0, 'Controller that is responsible for handling this class'),
      col('Parameters', 'string', 0, 'A reference to a resource with additional parameters'),
      AGE,
    ],
    (o, now) => {
      const p = rec(o, 'spec', 'parameters');
      return [
        o.metadata.name,
        str(rec(o, 'spec').controller, ''),
        p.name ? `${String(p.kind)}/${String(p.name)}` : '<none>',
        ageOf(o, now),
      ];
    },
  ),
};

function serviceExternalIp(o: StoredObject): string {
  const spec = rec(o, 'spec');
  const external = Array.isArray(spec.externalIPs) ? (spec.externalIPs as string[]) : [];
  switch (spec.type) {
    case 'ExternalName':
      return str(spec.externalName);
    case 'LoadBalancer': {
      const lb = arr(o, 'status', 'loadBalancer', 'ingress').map((i) => String(i.ip ?? i.hostname ?? ''));
      const all = [...lb, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    default:
      return external.length ? external.join(',') : '<none>';
  }
}
