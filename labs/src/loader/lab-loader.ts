import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { LabDefinitionError, LabErrorCode, type LabProblem } from '../errors';
import { LabDefinition, Parameter } from '../schema';
import { captureNames, checkCaptureUses, passThrough } from './captures';
import { checkLabFiles, type LabFiles } from './lab-files';
import { drawParameters, type ParameterValues } from './parameters';
import { ProblemList } from './problem-list';
import { blankTemplate, renderTemplate, templateUses } from './template';
import { YamlSource } from './yaml-source';
import { describeIssue, formatPath, issuePaths } from './zod-problems';

/** A lab rendered for one seed: the definition plus the files it refers to. */
export interface LoadedLab extends LabFiles {
  /** Absolute path of the lab folder. */
  dir: string;
  seed: string;
  parameters: ParameterValues;
  definition: LabDefinition;
}

/** Either the loaded lab or every problem found. */
export type LoadResult = { ok: true; lab: LoadedLab } | { ok: false; problems: LabProblem[] };

/** The seed used when none is given, e.g. by `netlab lab validate`. */
export const DEFAULT_SEED = 'netlab';

const LAB_FILE = 'lab.yaml';

/** Loads, renders and validates `<dir>/lab.yaml` and every file it names; reports all problems at once. */
export function loadLab(dir: string, options: { seed?: string } = {}): LoadResult {
  const labDir = resolve(dir);
  const seed = options.seed ?? DEFAULT_SEED;
  const problems = new ProblemList(labDir);
  if (!existsSync(`${labDir}/${LAB_FILE}`)) {
    problems.add(
      LAB_FILE,
      '',
      `no ${LAB_FILE} here; a lab is a folder with a ${LAB_FILE} (see labs/README.md)`,
    );
    return { ok: false, problems: problems.items };
  }
  const raw = readFileSync(`${labDir}/${LAB_FILE}`, 'utf8');

  const parameters = readParameters(raw, problems);
  const values = drawParameters(parameters, seed);
  // Values captured from the cluster while actions run keep their placeholders until then.
  const captured = captureNames(YamlSource.parse(blankTemplate(raw)).source.value());
  const rendering = { ...passThrough(captured), ...values };
  const declared = new Set([...parameters.map((p) => p.name), ...captured]);
  const checkUses = (file: string, text: string) => reportUndeclared(file, text, declared, problems);
  checkUses(LAB_FILE, raw);

  const { source, errors } = YamlSource.parse(renderTemplate(raw, rendering));
  for (const e of errors) problems.add(LAB_FILE, '', `not valid YAML: ${e.message}`, e.line);
  if (errors.length) return { ok: false, problems: problems.items };

  const data = source.value();
  const parsed = LabDefinition.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      for (const path of issuePaths(issue)) {
        problems.add(LAB_FILE, formatPath(path), describeIssue(issue, data), source.lineOf(path));
      }
    }
  }
  const files = checkLabFiles(labDir, data, rendering, source, problems, checkUses);
  if (parsed.success) {
    checkReferences(parsed.data, source, problems);
    checkCaptureUses(
      labDir,
      parsed.data,
      parameters.map((p) => p.name),
      source,
      problems,
    );
  }

  if (!parsed.success || !problems.empty) return { ok: false, problems: problems.items };
  return { ok: true, lab: { dir: labDir, seed, parameters: values, definition: parsed.data, ...files } };
}

/** Like {@link loadLab} but throws a {@link LabDefinitionError} listing every problem. */
export function loadLabOrThrow(dir: string, options: { seed?: string } = {}): LoadedLab {
  const result = loadLab(dir, options);
  if (!result.ok) throw new LabDefinitionError(LabErrorCode.INVALID_LAB, result.problems);
  return result.lab;
}

/** Reads the `parameters` section, which must be plain (not templated), so the rest can be rendered. */
function readParameters(raw: string, problems: ProblemList): Parameter[] {
  const { source, errors } = YamlSource.parse(blankTemplate(raw));
  if (errors.length) return [];
  const data = source.value() as { parameters?: unknown } | null;
  const parsed = z.array(Parameter).default([]).safeParse(data?.parameters);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = ['parameters', ...issue.path];
      problems.add(LAB_FILE, formatPath(path), describeIssue(issue, data?.parameters), source.lineOf(path));
    }
    return [];
  }
  const seen = new Set<string>();
  parsed.data.forEach((p, i) => {
    const path = ['parameters', i];
    if (seen.has(p.name))
      problems.add(
        LAB_FILE,
        `${formatPath(path)}.name`,
        `"${p.name}" is declared twice`,
        source.lineOf(path),
      );
    seen.add(p.name);
    if (p.type === 'int' && p.min > p.max) {
      problems.add(
        LAB_FILE,
        formatPath(path),
        `min ${p.min} is greater than max ${p.max}`,
        source.lineOf(path),
      );
    }
  });
  return parsed.data;
}

function reportUndeclared(file: string, text: string, declared: Set<string>, problems: ProblemList): void {
  try {
    for (const use of templateUses(text)) {
      if (!declared.has(use.name)) {
        const known = [...declared].join(', ') || 'none';
        problems.add(
          file,
          '',
          `parameter "${use.name}" is used but not declared under parameters (declared: ${known})`,
          use.line,
        );
      }
    }
  } catch (error) {
    problems.add(file, '', `malformed {{ }} placeholder: ${(error as Error).message}`);
  }
}

/** Ids must be unique and references must point at something that exists. */
function checkReferences(lab: LabDefinition, source: YamlSource, problems: ProblemList): void {
  const ids = new Set<string>();
  lab.checks.forEach((c, i) => {
    if (ids.has(c.id))
      problems.add(
        LAB_FILE,
        `checks[${i}].id`,
        `"${c.id}" is used by another check`,
        source.lineOf(['checks', i, 'id']),
      );
    ids.add(c.id);
  });
  lab.bypasses.forEach((b, i) =>
    b.caughtBy.forEach((id, j) => {
      if (!ids.has(id)) {
        const path = ['bypasses', i, 'caughtBy', j];
        problems.add(
          LAB_FILE,
          formatPath(path),
          `"${id}" is not the id of a check (checks: ${[...ids].join(', ')})`,
          source.lineOf(path),
        );
      }
    }),
  );
  if (!lab.checks.some((c) => c.afterFault.result === 'fail')) {
    problems.add(
      LAB_FILE,
      'checks',
      'no check has afterFault.result: fail, so nothing shows that the fault breaks the lab',
      source.lineOf(['checks']),
    );
  }
}
