import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The documentation of one API type: its own text and each field's, as the Kubernetes API defines them. */
export interface TypeDocs {
  /** The type's description (`NetworkPolicySpec provides the specification of a NetworkPolicy`). */
  description: string;
  /** Each field's own description, by its JSON name (`podSelector` → `… An empty podSelector matches all pods …`). */
  fields: Record<string, string>;
}

let index: Map<string, TypeDocs[]> | undefined;

/**
 * The documentation of the API type named `name` (`NetworkPolicySpec`, `Event`) from the
 * `kubernetes-types` package, whose doc comments are the Kubernetes API's own descriptions — including
 * those of fields typed by another type, which client-node's generator drops. Several groups may
 * define a type of the same name (core and events.k8s.io `Event`): the one sharing the most field
 * names with `fieldNames` wins. Undefined when the package has no such type.
 */
export function typeDocs(name: string, fieldNames: readonly string[] = []): TypeDocs | undefined {
  index ??= buildIndex();
  const candidates = index.get(name);
  if (!candidates?.length) return undefined;
  let best = candidates[0]!;
  let bestScore = -1;
  for (const c of candidates) {
    const score = fieldNames.filter((f) => f in c.fields).length;
    if (score > bestScore) [best, bestScore] = [c, score];
  }
  return best;
}

/** Stable versions only (v1, v2): an alpha type of the same name must not shadow the served one. */
function buildIndex(): Map<string, TypeDocs[]> {
  const out = new Map<string, TypeDocs[]>();
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'));
  } catch {
    return out; // Without the package explain falls back to client-node's texts.
  }
  for (const group of readdirSync(root, { withFileTypes: true })) {
    if (!group.isDirectory()) continue;
    for (const file of readdirSync(join(root, group.name))) {
      if (!/^v\d+\.d\.ts$/.test(file)) continue;
      for (const [name, docs] of parseDeclarations(readFileSync(join(root, group.name, file), 'utf8'))) {
        out.set(name, [...(out.get(name) ?? []), docs]);
      }
    }
  }
  return out;
}

/** The interfaces of one `.d.ts` file with their doc comments, paragraphs kept as the API writes them. */
export function parseDeclarations(text: string): Array<[string, TypeDocs]> {
  const out: Array<[string, TypeDocs]> = [];
  const decl = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?export interface (\w+) \{\n([\s\S]*?)\n\}/g;
  for (let m = decl.exec(text); m; m = decl.exec(text)) {
    const docs: TypeDocs = { description: m[1] ? clean(m[1]) : '', fields: {} };
    const field = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*"?([\w$-]+)"?\??:/g;
    for (let f = field.exec(m[3]!); f; f = field.exec(m[3]!)) docs.fields[f[2]!] = clean(f[1]!);
    out.push([m[2]!, docs]);
  }
  return out;
}

function clean(comment: string): string {
  return comment
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
