import type { ClusterIndex, PodEntry, ServiceEntry } from './cluster-index';
import { ptrRecords, srvRecords, type ExtraAnswer } from './dns-srv-ptr';
import type { DnsAnswer, DnsRecord } from './types';

/** What a name led to, for the reach walker: a Service (by its cluster name) or a plain address. */
export type DnsTarget = { service: ServiceEntry } | { ip: string };

/** A resolution with what it pointed at (when a cluster object). */
export interface Resolution {
  answer: DnsAnswer;
  target?: DnsTarget;
}

/** Whether the source pod can reach cluster DNS at all: `ok: false` carries why (e.g. egress policy). */
export type DnsPathCheck = (from: PodEntry) => { ok: true } | { ok: false; reason: string };

const NDOTS = 5;

/** CoreDNS's `kubernetes` plugin (with `pods insecure`) plus the pod's resolv.conf search path. */
export class DnsResolver {
  constructor(
    private readonly index: ClusterIndex,
    private readonly zone: string,
    private readonly available: boolean,
    private readonly pathCheck: DnsPathCheck,
  ) {}

  /** Resolves `name` as a process in `from` would (no search path when there is no source pod). */
  resolve(name: string, from?: PodEntry): Resolution {
    const query = name;
    const clean = name.trim().toLowerCase();
    if (!clean || !/^[a-z0-9_.-]+$/.test(clean) || clean.includes('..')) {
      return nx(query, `"${name}" is not a valid DNS name`);
    }
    const config = from ? this.resolvConf(from) : ({ cluster: true, search: [] } as const);
    if (config.cluster === false) {
      return nx(
        query,
        `Pod ${from!.key} does not use cluster DNS (${config.why}), so cluster names such as ${name} do not resolve`,
      );
    }
    if (!this.available) {
      return servfail(query, `cluster DNS (CoreDNS) is not answering, so the lookup of ${name} times out`);
    }
    if (from) {
      const path = this.pathCheck(from);
      if (!path.ok) return servfail(query, path.reason);
    }
    const misses = new Map<string, string | undefined>();
    for (const fqdn of candidates(clean, config.search, from ? ndots(from) : NDOTS)) {
      const hit = this.lookup(fqdn);
      if (hit.answer.rcode !== 'NXDOMAIN') return { ...hit, answer: { ...hit.answer, query } };
      misses.set(fqdn, hit.answer.reason);
    }
    // Explain the reading the user most likely meant, not whichever search domain came first.
    const meant = this.intendedName(clean, from);
    const reason = misses.get(meant) ?? misses.values().next().value;
    return nx(query, reason ?? `${name} does not exist`);
  }

  private intendedName(name: string, from: PodEntry | undefined): string {
    const bare = name.replace(/\.$/, '');
    if (bare.endsWith(`.${this.zone}`)) return `${bare}.`;
    if (bare.endsWith('.svc') || bare.endsWith('.pod')) return `${bare}.${this.zone}.`;
    const labels = bare.split('.').length;
    if (labels === 1 && from) return `${bare}.${from.namespace}.svc.${this.zone}.`;
    return labels === 2 ? `${bare}.svc.${this.zone}.` : `${bare}.`;
  }

  /** The answer CoreDNS gives for one fully-qualified name (with or without the trailing dot). */
  lookup(fqdnWithDot: string): Resolution {
    const fqdn = fqdnWithDot.replace(/\.$/, '');
    const suffix = `.${this.zone}`;
    if (fqdn.endsWith('.in-addr.arpa')) return extra(fqdn, ptrRecords(this.index, this.zone, fqdn));
    if (!fqdn.endsWith(suffix)) {
      return nx(fqdn, `${fqdn} is outside the cluster domain ${this.zone}; netlab models only cluster DNS`);
    }
    const labels = fqdn.slice(0, -suffix.length).split('.');
    const kind = labels.pop();
    if (kind === 'svc' && labels.length === 4 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
      return extra(fqdn, srvRecords(this.index, this.zone, fqdn, labels));
    }
    if (kind === 'svc' && labels.length >= 2) return this.serviceRecord(fqdn, labels);
    if (kind === 'pod' && labels.length === 2) return this.podRecord(fqdn, labels[0]!, labels[1]!);
    return nx(fqdn, `${fqdn} is not a Service or Pod name`);
  }

  private serviceRecord(fqdn: string, labels: string[]): Resolution {
    const namespace = labels.pop()!;
    const name = labels.pop()!;
    const endpoint = labels.length === 1 ? labels[0] : undefined;
    if (labels.length > 1) return nx(fqdn, `${fqdn} has too many labels for a Service name`);
    const ns = this.index.namespaces.get(namespace);
    if (!ns) return nx(fqdn, `namespace ${namespace} does not exist`);
    const entry = this.index.services.get(`${namespace}/${name}`);
    if (!entry) {
      const names = [...this.index.services.values()]
        .filter((s) => s.namespace === namespace)
        .map((s) => s.name);
      return nx(
        fqdn,
        `there is no Service ${name} in namespace ${namespace}` +
          (names.length ? ` (Services there: ${names.slice(0, 8).join(', ')})` : ' (it has no Services)'),
      );
    }
    const spec = entry.service.spec ?? {};
    if (spec.type === 'ExternalName') {
      if (endpoint) return nx(fqdn, `ExternalName Service ${entry.key} has no endpoint names`);
      const target = (spec.externalName ?? '').replace(/\.$/, '');
      const answer = noerror(fqdn, [{ type: 'CNAME', name: fqdn, value: target }]);
      if (target.endsWith(`.${this.zone}`)) {
        // CoreDNS completes an in-zone CNAME itself and keeps it only when the target has records:
        // a missing target leaves NOERROR with no answer at all (NODATA, coredns#6088), not NXDOMAIN.
        const next = this.lookup(target);
        if (next.answer.rcode === 'NOERROR' && next.answer.records.length > 0) {
          return {
            answer: { ...answer, records: [...answer.records, ...next.answer.records] },
            ...targetOf(next),
          };
        }
        const why = next.answer.reason ?? `${target} has no address records`;
        return {
          answer: {
            ...noerror(fqdn, []),
            reason: `ExternalName Service ${entry.key} points at ${target}, which does not resolve in the cluster DNS (${why}), so CoreDNS answers with no records (NODATA)`,
          },
        };
      }
      return { answer };
    }
    const headless = spec.clusterIP === 'None';
    if (!headless) {
      if (endpoint) return nx(fqdn, `${entry.key} is not headless, so it has no per-endpoint names`);
      if (!spec.clusterIP) return nx(fqdn, `Service ${entry.key} has no ClusterIP`);
      return {
        answer: noerror(fqdn, [{ type: 'A', name: fqdn, value: spec.clusterIP }]),
        target: { service: entry },
      };
    }
    const ready = readyAddresses(entry).filter(
      (a) => !endpoint || a.hostname === endpoint || a.ip.replaceAll('.', '-') === endpoint,
    );
    if (ready.length === 0) {
      return nx(
        fqdn,
        endpoint
          ? `headless Service ${entry.key} has no ready endpoint named ${endpoint}${this.whyNoEndpointNamed(entry, endpoint)}`
          : `headless Service ${entry.key} has no ready endpoints, so its name has no A records`,
      );
    }
    const records = ready.map((a): DnsRecord => ({ type: 'A', name: fqdn, value: a.ip }));
    return { answer: noerror(fqdn, records), target: { ip: ready[0]!.ip } };
  }

  /**
   * Why a Pod that calls itself `hostname` is not under the headless Service: the name of a Pod
   * (`NAME-0.SVC.NS…`) exists only when its spec.subdomain (a StatefulSet's serviceName) names
   * that Service and the Service selects it as a ready endpoint.
   */
  private whyNoEndpointNamed(entry: ServiceEntry, hostname: string): string {
    const [namespace, service] = entry.key.split('/') as [string, string];
    const pod = (this.index.podsByNamespace.get(namespace) ?? []).find(
      (p) => (p.pod.spec?.hostname ?? p.name) === hostname,
    );
    if (!pod) return ` (no Pod in ${namespace} has the hostname ${hostname})`;
    const subdomain = pod.pod.spec?.subdomain;
    if (subdomain !== service) {
      return subdomain
        ? ` (Pod ${pod.key} has subdomain ${subdomain}, e.g. its StatefulSet's serviceName, so its own name lives under ${subdomain}, not ${service})`
        : ` (Pod ${pod.key} has no subdomain, e.g. its StatefulSet's serviceName, so it has no name under ${service})`;
    }
    return ` (Pod ${pod.key} is not a ready endpoint of it: check the Service's selector and the Pod's readiness)`;
  }

  private podRecord(fqdn: string, dashed: string, namespace: string): Resolution {
    if (!this.index.namespaces.has(namespace)) return nx(fqdn, `namespace ${namespace} does not exist`);
    const ip = dashed.replaceAll('-', '.');
    if (
      !/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(ip) ||
      ip.split('.').some((o) => Number(o) > 255)
    ) {
      return nx(fqdn, `${dashed} is not an IP address written with dashes (e.g. 10-244-1-7)`);
    }
    // `pods insecure` (kubeadm's default Corefile) answers without checking that such a pod exists.
    return { answer: noerror(fqdn, [{ type: 'A', name: fqdn, value: ip }]), target: { ip } };
  }

  private resolvConf(pod: PodEntry): { cluster: true; search: string[] } | { cluster: false; why: string } {
    const spec = pod.pod.spec ?? { containers: [] };
    const policy = spec.dnsPolicy ?? 'ClusterFirst';
    const extra = spec.dnsConfig?.searches ?? [];
    const clusterSearch = [`${pod.namespace}.svc.${this.zone}`, `svc.${this.zone}`, this.zone];
    if (policy === 'Default') return { cluster: false, why: 'dnsPolicy Default uses the node resolver' };
    if (policy === 'None') {
      const dnsIPs = new Set(this.kubeDnsIPs());
      const servers = spec.dnsConfig?.nameservers ?? [];
      if (!servers.some((s) => dnsIPs.has(s))) {
        return { cluster: false, why: `dnsPolicy None with nameservers ${servers.join(', ') || '(none)'}` };
      }
      return { cluster: true, search: extra };
    }
    if (policy === 'ClusterFirst' && spec.hostNetwork) {
      return {
        cluster: false,
        why: 'a hostNetwork Pod with dnsPolicy ClusterFirst falls back to the node resolver',
      };
    }
    return { cluster: true, search: [...clusterSearch, ...extra] };
  }

  private kubeDnsIPs(): string[] {
    const svc = this.index.services.get('kube-system/kube-dns')?.service.spec;
    return [svc?.clusterIP ?? '', ...(svc?.clusterIPs ?? [])].filter(Boolean);
  }
}

/** Endpoint addresses a headless Service's name answers with: ready (or unknown) endpoints. */
export function readyAddresses(entry: ServiceEntry): Array<{ ip: string; hostname?: string }> {
  const out: Array<{ ip: string; hostname?: string }> = [];
  const seen = new Set<string>();
  for (const slice of entry.slices) {
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses ?? []) {
        if (seen.has(ip)) continue;
        seen.add(ip);
        out.push({ ip, ...(ep.hostname ? { hostname: ep.hostname } : {}) });
      }
    }
  }
  return out.sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }));
}

/** The names the resolver tries, in order: search path first unless the name has ndots dots or more. */
function candidates(name: string, search: readonly string[], threshold: number): string[] {
  if (name.endsWith('.')) return [name];
  const dots = name.split('.').length - 1;
  const searched = search.map((s) => `${name}.${s}.`);
  return dots >= threshold ? [`${name}.`, ...searched] : [...searched, `${name}.`];
}

/** resolv.conf `ndots`: 5 for cluster pods, or what `dnsConfig.options` sets. */
function ndots(pod: PodEntry): number {
  const option = pod.pod.spec?.dnsConfig?.options?.find((o) => o.name === 'ndots');
  const value = Number(option?.value);
  return option && Number.isInteger(value) && value >= 0 ? Math.min(value, 15) : NDOTS;
}

function targetOf(r: Resolution): { target?: DnsTarget } {
  return r.target ? { target: r.target } : {};
}

function noerror(query: string, records: DnsRecord[]): DnsAnswer {
  return { query, rcode: 'NOERROR', fqdn: query, records };
}

function extra(fqdn: string, answer: ExtraAnswer): Resolution {
  return 'records' in answer ? { answer: noerror(fqdn, answer.records) } : nx(fqdn, answer.reason);
}

function nx(query: string, reason: string): Resolution {
  return { answer: { query, rcode: 'NXDOMAIN', records: [], reason } };
}

function servfail(query: string, reason: string): Resolution {
  return { answer: { query, rcode: 'SERVFAIL', records: [], reason } };
}
