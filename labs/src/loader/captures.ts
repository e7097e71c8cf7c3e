import { existsSync, readFileSync } from 'node:fs';
import type { Action, LabDefinition } from '../schema';
import type { ProblemList } from './problem-list';
import { templateUses } from './template';
import type { YamlSource } from './yaml-source';
import { formatPath } from './zod-problems';

/** Every action list of a lab, with its path in lab.yaml. */
function actionLists(doc: unknown): { path: (string | number)[]; actions: unknown[] }[] {
  const d = (doc ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  const rec = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  return [
    { path: ['setup'], actions: list(d.setup) },
    { path: ['fault', 'actions'], actions: list(rec(d.fault).actions) },
    { path: ['solution', 'actions'], actions: list(rec(d.solution).actions) },
    ...list(d.bypasses).map((b, i) => ({ path: ['bypasses', i, 'actions'], actions: list(rec(b).actions) })),
  ];
}

/**
 * The names `capture` actions define (`as`), read from the not yet rendered lab.yaml, so their
 * `{{ name }}` placeholders can stay in place until the actions run on a cluster.
 */
export function captureNames(doc: unknown): string[] {
  const names = new Set<string>();
  for (const { actions } of actionLists(doc)) {
    for (const a of actions) {
      const as = (a as { capture?: { as?: unknown } } | null)?.capture?.as;
      if (typeof as === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(as)) names.add(as);
    }
  }
  return [...names];
}

/** Values that render each captured name's placeholder as itself, for the runner to fill in. */
export function passThrough(names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, `{{ ${n} }}`]));
}

/**
 * A captured value exists only on the cluster the actions run on, from its capture on: each use
 * must come after a capture of that name in the same list (setup, fault, solution, a bypass), and
 * a capture must not shadow a parameter.
 */
export function checkCaptureUses(
  labDir: string,
  lab: LabDefinition,
  parameters: string[],
  source: YamlSource,
  problems: ProblemList,
): void {
  const names = captureNames(lab);
  if (!names.length) return;
  const lists = actionLists(lab);
  for (const { path, actions } of lists) {
    const captured = new Set<string>();
    (actions as Action[]).forEach((action, i) => {
      const at = [...path, i];
      if ('capture' in action) {
        if (parameters.includes(action.capture.as)) {
          problems.add(
            'lab.yaml',
            `${formatPath(at)}.capture.as`,
            `"${action.capture.as}" is also a parameter; give the captured value another name`,
            source.lineOf([...at, 'capture', 'as']),
          );
        }
        captured.add(action.capture.as);
        return;
      }
      for (const name of usesIn(labDir, action, names)) {
        if (captured.has(name)) continue;
        const where = lists
          .filter((l) => (l.actions as Action[]).some((a) => 'capture' in a && a.capture.as === name))
          .map((l) => formatPath(l.path));
        problems.add(
          'lab.yaml',
          formatPath(at),
          `uses {{ ${name} }}, which no capture action before it in ${formatPath(path)} sets (it is captured in ${where.join(', ')}); a captured value is usable only by later actions of the same list`,
          source.lineOf(at),
        );
      }
    });
  }
}

/** The captured names an action refers to: in its manifest file, or in its own fields. */
function usesIn(labDir: string, action: Action, names: string[]): string[] {
  if ('apply' in action) {
    const file = `${labDir}/${action.apply}`;
    if (!existsSync(file)) return [];
    try {
      const used = new Set(templateUses(readFileSync(file, 'utf8')).map((u) => u.name));
      return names.filter((n) => used.has(n));
    } catch {
      return []; // reported where the file is rendered
    }
  }
  const text = JSON.stringify(action);
  return names.filter((n) => new RegExp(`\\{\\{\\s*${n}\\s*\\}\\}`).test(text));
}
