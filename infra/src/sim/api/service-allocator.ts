import type { ObjectStore } from '../store/object-store';
import { arr, rec, type Obj } from '../registry/printer-helpers';
import type { FieldCause } from '../registry/resource-definition';

const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

/** The service CIDR's base (kind's default 10.96.0.0/16 part); .0.1 is the `kubernetes` Service. */
export const SERVICE_CIDR_PREFIX = '10.96';

/**
 * Allocates ClusterIPs from the service CIDR and NodePorts from 30000–32767, keeps them on update
 * (they are immutable), and reports the API server's errors for taken or out-of-range values.
 */
export class ServiceAllocator {
  constructor(private readonly store: ObjectStore) {}

  /** Fills `spec.clusterIP(s)` and node ports of a Service about to be written; returns field errors. */
  allocate(svc: Obj, old: Obj | undefined): FieldCause[] {
    const spec = rec(svc, 'spec');
    const oldSpec = old ? rec(old, 'spec') : undefined;
    const causes: FieldCause[] = [];
    const self = `${String(rec(svc, 'metadata').namespace)}/${String(rec(svc, 'metadata').name)}`;
    if (spec.type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    } else {
      if ((spec.clusterIP === undefined || spec.clusterIP === '') && oldSpec?.clusterIP)
        spec.clusterIP = oldSpec.clusterIP;
      if (oldSpec?.clusterIP && spec.clusterIP !== oldSpec.clusterIP) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: 'spec.clusterIPs[0]',
          message: `Invalid value: []string{${JSON.stringify(String(spec.clusterIP))}}: may not change once set`,
        });
        return causes;
      }
      const used = this.usedClusterIps(self);
      if (spec.clusterIP === undefined || spec.clusterIP === '') {
        spec.clusterIP = this.freeIp(used);
      } else if (spec.clusterIP !== 'None' && !oldSpec && used.has(String(spec.clusterIP))) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: 'spec.clusterIPs',
          message: `Invalid value: []string{${JSON.stringify(String(spec.clusterIP))}}: failed to allocate IP ${String(spec.clusterIP)}: provided IP is already allocated`,
        });
      }
      spec.clusterIPs = [spec.clusterIP];
    }
    const wantsNodePorts =
      spec.type === 'NodePort' ||
      (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
    const usedPorts = this.usedNodePorts(self);
    arr(spec, 'ports').forEach((p, i) => {
      if (!wantsNodePorts) {
        delete p.nodePort;
        return;
      }
      if (p.nodePort === undefined || p.nodePort === 0) {
        const previous = arr(oldSpec, 'ports').find(
          (q) => q.port === p.port && q.protocol === p.protocol,
        )?.nodePort;
        p.nodePort = previous ?? this.freePort(usedPorts);
      } else if (typeof p.nodePort !== 'number' || p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: `spec.ports[${i}].nodePort`,
          message: `Invalid value: ${String(p.nodePort)}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
        });
      } else if (usedPorts.has(p.nodePort)) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: `spec.ports[${i}].nodePort`,
          message: `Invalid value: ${p.nodePort}: provided port is already allocated`,
        });
      }
      usedPorts.add(Number(p.nodePort));
    });
    return causes;
  }

  private others(self: string): Obj[] {
    return this.store
      .list('services')
      .filter((s) => `${s.metadata.namespace}/${s.metadata.name}` !== self) as unknown as Obj[];
  }

  private usedClusterIps(self: string): Set<string> {
    return new Set(this.others(self).map((s) => String(rec(s, 'spec').clusterIP)));
  }

  private usedNodePorts(self: string): Set<number> {
    return new Set(this.others(self).flatMap((s) => arr(s, 'spec', 'ports').map((p) => Number(p.nodePort))));
  }

  private freeIp(used: Set<string>): string {
    for (;;) {
      const n = 11 + Math.floor(Math.random() * (65534 - 11));
      const ip = `${SERVICE_CIDR_PREFIX}.${n >> 8}.${n & 255}`;
      if ((n & 255) !== 0 && (n & 255) !== 255 && !used.has(ip)) return ip;
    }
  }

  private freePort(used: Set<number>): number {
    for (;;) {
      const p = NODE_PORT_MIN + Math.floor(Math.random() * (NODE_PORT_MAX - NODE_PORT_MIN + 1));
      if (!used.has(p)) return p;
    }
  }
}
