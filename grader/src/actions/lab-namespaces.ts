import type { LoadedLab } from '@netlab/labs';

/** Every namespace a lab creates or names (manifests, checks), sorted; kube-system and default excluded. */
export function labNamespaces(lab: LoadedLab): string[] {
  const found = new Set<string>();
  for (const objects of Object.values(lab.manifests)) {
    for (const o of objects) {
      if (o.kind === 'Namespace') found.add(o.metadata.name);
      else if (o.metadata.namespace) found.add(o.metadata.namespace);
    }
  }
  for (const c of lab.definition.checks) {
    if ('from' in c) found.add(c.from.namespace);
    if (c.type === 'endpoints') found.add(c.service.namespace);
    if (c.type === 'pods-ready') found.add(c.namespace);
  }
  for (const ns of ['kube-system', 'default', 'kube-public', 'kube-node-lease']) found.delete(ns);
  return [...found].sort();
}
