import { Command } from 'commander';
import { styleText } from 'node:util';
import { relative } from 'node:path';
import { CATALOG_DIR, DEFAULT_SEED, formatProblem, listLabDirs, loadLab, type LoadedLab } from '@netlab/labs';

/** `netlab lab validate [dir...]`: every problem of every lab, or one summary line per valid lab. */
export function labValidateCommand(): Command {
  return new Command('validate')
    .description(
      'check lab definitions: schema, files, manifests and parameters (default: every lab in the catalog)',
    )
    .argument('[dir...]', 'lab folders (each holding a lab.yaml)')
    .option('--seed <seed>', 'seed used to draw the parameters', DEFAULT_SEED)
    .action((dirs: string[], options: { seed: string }) => {
      process.exitCode = validateLabs(dirs.length ? dirs : listLabDirs(), options.seed);
    });
}

/** Validates each lab and prints the outcome; returns the exit code. */
export function validateLabs(
  dirs: string[],
  seed: string,
  out: (line: string) => void = console.log,
): number {
  if (dirs.length === 0) {
    out(`no labs found in ${relative(process.cwd(), CATALOG_DIR) || CATALOG_DIR}`);
    return 1;
  }
  let invalid = 0;
  for (const dir of dirs) {
    const result = loadLab(dir, { seed });
    if (result.ok) {
      out(`${styleText('green', '✓')} ${summary(result.lab)}`);
      continue;
    }
    invalid++;
    const n = result.problems.length;
    out(`${styleText('red', '✗')} ${relative(process.cwd(), dir) || dir}: ${n} problem${n === 1 ? '' : 's'}`);
    for (const p of result.problems) out(`    ${formatProblem(p)}`);
  }
  const valid = dirs.length - invalid;
  out(`${valid} valid, ${invalid} invalid`);
  return invalid ? 1 : 0;
}

function summary(lab: LoadedLab): string {
  const d = lab.definition;
  const count = (n: number, what: string, plural = `${what}s`) => `${n} ${n === 1 ? what : plural}`;
  return [
    `${d.id}: ${d.title}`,
    `${d.difficulty}, ~${d.estimatedMinutes} min`,
    count(lab.steps.length, 'step'),
    count(d.checks.length, 'check'),
    count(d.hints.length, 'hint'),
    count(d.parameters.length, 'parameter'),
    count(d.bypasses.length, 'bypass', 'bypasses'),
  ]
    .join(' · ')
    .replace(' · ', ' — ');
}
