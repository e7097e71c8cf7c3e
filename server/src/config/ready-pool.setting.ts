/** One lab the ready pool keeps pre-provisioned clusters of. */
export interface ReadyPoolTarget {
  /** The lab's slug (its folder name in the catalog). */
  slug: string;
  /** Clusters kept ready, set up and faulted, for learners who start it. */
  size: number;
}

/** The most clusters one lab may keep ready (each is a whole cluster on the provider). */
export const MAX_READY_PER_LAB = 200;

const SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * NETLAB_READY_POOL, e.g. `svc-selector-mismatch=20,netpol-blocks-path=5`: the labs whose clusters
 * are provisioned ahead (setup and fault applied, toolbox up), each with how many. Every problem is
 * reported, one sentence each naming the entry and what is expected.
 */
export function parseReadyPool(text: string): { targets: ReadyPoolTarget[]; problems: string[] } {
  const targets: ReadyPoolTarget[] = [];
  const problems: string[] = [];
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(entry);
    if (!match) {
      problems.push(`"${entry}": expected <lab-slug>=<clusters>, e.g. svc-selector-mismatch=5`);
      continue;
    }
    const [, slug, count] = match as unknown as [string, string, string];
    const size = /^\d+$/.test(count) ? Number(count) : NaN;
    if (!SLUG.test(slug))
      problems.push(`"${entry}": "${slug}" is not a lab slug (a folder name such as dns-egress-blocked)`);
    else if (!(size >= 0 && size <= MAX_READY_PER_LAB))
      problems.push(`"${entry}": "${count}" is not a whole number from 0 to ${MAX_READY_PER_LAB}`);
    else if (targets.some((t) => t.slug === slug)) problems.push(`"${entry}": ${slug} is named twice`);
    else targets.push({ slug, size });
  }
  return { targets: targets.filter((t) => t.size > 0), problems };
}
