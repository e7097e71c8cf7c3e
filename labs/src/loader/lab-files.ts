import { existsSync, readFileSync } from 'node:fs';
import { kubeObjectProblem, type KubeObject } from './kube-object';
import type { ParameterValues } from './parameters';
import type { ProblemList } from './problem-list';
import { renderTemplate } from './template';
import { formatPath as fmt } from './zod-problems';
import { parseYamlDocuments, type YamlSource } from './yaml-source';

/** A learner instruction page, rendered. */
export interface LabStep {
  file: string;
  /** The first `# heading` of the page, or the file name. */
  title: string;
  markdown: string;
}

/** The files a lab refers to, rendered for one seed. */
export interface LabFiles {
  steps: LabStep[];
  /** Manifests by their path in the lab folder (e.g. `manifests/app.yaml`), parsed. */
  manifests: Record<string, KubeObject[]>;
  debrief: string;
}

const ACTION_LISTS: (readonly PropertyKey[])[] = [['setup'], ['fault', 'actions'], ['solution', 'actions']];

/**
 * Reads every file lab.yaml names — steps, manifests, debrief — from the raw document, so that
 * missing or broken files are reported even when lab.yaml has schema problems elsewhere.
 */
export function checkLabFiles(
  labDir: string,
  data: unknown,
  values: ParameterValues,
  source: YamlSource,
  problems: ProblemList,
  checkUses: (file: string, text: string) => void,
): LabFiles {
  const files: LabFiles = { steps: [], manifests: {}, debrief: '' };
  const read = (file: string, path: PropertyKey[]): string | undefined => {
    if (typeof file !== 'string') return undefined;
    if (!existsSync(`${labDir}/${file}`)) {
      problems.add(
        'lab.yaml',
        fmt(path),
        `file "${file}" does not exist in the lab folder`,
        source.lineOf(path),
      );
      return undefined;
    }
    const text = readFileSync(`${labDir}/${file}`, 'utf8');
    checkUses(file, text);
    return renderTemplate(text, values);
  };

  const doc = (data ?? {}) as Record<string, unknown>;
  asList(doc.steps).forEach((file, i) => {
    const markdown = read(file as string, ['steps', i]);
    if (markdown !== undefined)
      files.steps.push({ file: file as string, title: titleOf(markdown, file as string), markdown });
  });

  for (const [path, file] of applyFiles(doc)) {
    if (file in files.manifests) continue;
    const text = read(file, path);
    if (text === undefined) continue;
    const { values: objects, errors } = parseYamlDocuments(text);
    for (const e of errors) problems.add(file, '', `not valid YAML: ${e.message}`, e.line);
    objects.forEach((o, i) => {
      const problem = kubeObjectProblem(o);
      if (problem) problems.add(file, `document ${i + 1}`, problem);
    });
    if (!errors.length && objects.length === 0) problems.add(file, '', 'the manifest holds no objects');
    files.manifests[file] = objects as KubeObject[];
  }

  const debrief = (doc.debrief as { file?: unknown } | undefined)?.file;
  if (typeof debrief === 'string') files.debrief = read(debrief, ['debrief', 'file']) ?? '';
  return files;
}

/** Every `apply:` file named in setup, fault, solution and bypasses, with its path in lab.yaml. */
function applyFiles(doc: Record<string, unknown>): [PropertyKey[], string][] {
  const lists = [...ACTION_LISTS];
  asList(doc.bypasses).forEach((_, i) => lists.push(['bypasses', i, 'actions']));
  const found: [PropertyKey[], string][] = [];
  for (const listPath of lists) {
    const list = listPath.reduce<unknown>(
      (v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k],
      doc,
    );
    asList(list).forEach((action, i) => {
      const file = (action as { apply?: unknown } | null)?.apply;
      if (typeof file === 'string') found.push([[...listPath, i, 'apply'], file]);
    });
  }
  return found;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function titleOf(markdown: string, file: string): string {
  return /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? file;
}
