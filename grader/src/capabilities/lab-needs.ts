import { isIP } from 'node:net';
import type { LoadedLab } from '@netlab/labs';
import { apiVersionOf } from '../actions/api-versions';
import { mapImage, type ImageMap } from '../actions/image-map';
import { missingApiMessage } from '../kube/missing-api';
import type { ClusterReport } from './capability-report';

/** What one lab needs from a cluster, beyond what the grader always needs. */
export interface LabNeeds {
  /** Its manifests hold NetworkPolicies: it means nothing on a CNI that ignores them. */
  networkPolicy: boolean;
  /** A check resolves a name (a dns check, or a URL or host that is not an IP). */
  dns: boolean;
  /** Every container image of its manifests, after the image map. */
  images: string[];
  /** Every kind its manifests and actions name. */
  apis: { apiVersion: string; kind: string }[];
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** What `lab` needs from its cluster. */
export function labNeeds(lab: LoadedLab, imageMap?: ImageMap): LabNeeds {
  const objects = Object.values(lab.manifests).flat();
  const images = new Set<string>();
  for (const o of objects) {
    const spec = (o as { spec?: Record<string, unknown> }).spec;
    const template = (spec?.template as { spec?: Record<string, unknown> } | undefined)?.spec;
    for (const podSpec of [spec, template]) {
      for (const key of CONTAINER_LISTS) {
        const list = podSpec?.[key];
        if (!Array.isArray(list)) continue;
        for (const c of list as { image?: string }[]) if (c.image) images.add(mapImage(c.image, imageMap));
      }
    }
  }
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  const add = (ref: { apiVersion?: string; kind: string }) => {
    const apiVersion = apiVersionOf(ref);
    kinds.set(`${apiVersion} ${ref.kind}`, { apiVersion, kind: ref.kind });
  };
  for (const o of objects) add(o as { apiVersion?: string; kind: string });
  const d = lab.definition;
  for (const action of [
    ...d.setup,
    ...d.fault.actions,
    ...d.solution.actions,
    ...d.bypasses.flatMap((b) => b.actions),
  ]) {
    if ('delete' in action) add(action.delete);
    else if ('patch' in action) add(action.patch.target);
  }
  for (const check of d.checks) if (check.type === 'resource') add(check.target);
  const names = d.checks.some(
    (c) =>
      c.type === 'dns' || (c.type === 'http' && !isIP(hostOf(c.url))) || (c.type === 'tcp' && !isIP(c.host)),
  );
  return {
    networkPolicy: objects.some((o) => o.kind === 'NetworkPolicy'),
    dns: names,
    images: [...images].sort(),
    apis: [...kinds.values()],
  };
}

/**
 * Why `lab` cannot run on the cluster `report` describes, one sentence each (empty when it can):
 * what the grader always needs, then what this lab needs (NetworkPolicy enforcement, DNS, its
 * images, its APIs).
 */
export function unmetNeeds(lab: LoadedLab, report: ClusterReport, imageMap?: ImageMap): string[] {
  const needs = labNeeds(lab, imageMap);
  const why: string[] = [];
  const missing = (id: string) => report.results.find((r) => r.id === id && r.status !== 'ok');
  for (const id of ['server-version', 'permissions', 'pod-network'] as const) {
    const r = missing(id);
    if (r) why.push(r.detail);
  }
  const policy = missing('network-policy');
  if (needs.networkPolicy && policy) why.push(`it uses NetworkPolicies, and ${policy.detail}`);
  const dns = missing('cluster-dns');
  if (needs.dns && dns) why.push(`its checks resolve names, and ${dns.detail}`);
  for (const api of needs.apis) {
    const seen = report.apis.find((a) => a.apiVersion === api.apiVersion && a.kind === api.kind);
    if (seen && !seen.served) why.push(missingApiMessage(api.apiVersion, api.kind, report.version));
  }
  for (const pull of report.images) {
    if (!pull.pulled && (needs.images.includes(pull.image) || report.images.indexOf(pull) === 0)) {
      why.push(pull.detail); // the first image is the probe's: every traffic check needs it
    }
  }
  return [...new Set(why)];
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url;
  }
}
