import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { Command } from 'commander';
import { GraderError, durationMs, parseImageMap, type ImageMap } from '@netlab/grader';
import { ProviderError } from '@netlab/infra';
import { LabDefinitionError, formatProblem } from '@netlab/labs';
import { checkUpFront } from '../lab-test/capability-gate';
import { testLab } from '../lab-test/lab-test.runner';
import type { LabTestResult } from '../lab-test/lab-test.types';
import { resolveLabs } from '../lab-test/lab-dirs';
import { PROVIDER_KINDS, UsageError, chooseProvider, timingFor } from '../lab-test/provider-choice';
import { summaryTable } from '../lab-test/summary-table';

interface LabTestFlags {
  provider: string;
  kubeconfig?: string;
  imageMap?: string;
  seed?: string;
  convergeTimeout?: string;
  parallel?: string;
}

/** `netlab lab test [--provider sim|kind|external] [--kubeconfig F] [--image-map F] [lab-id...]`. */
export function labTestCommand(): Command {
  return new Command('test')
    .description(
      'solve labs on a real or simulated cluster: fault → checks fail → solution → checks pass → bypasses caught',
    )
    .argument('[lab...]', 'lab ids from the catalog or lab folders (default: every lab in the catalog)')
    .option('--provider <kind>', `where clusters come from: ${PROVIDER_KINDS.join('|')}`, 'sim')
    .option('--kubeconfig <file>', 'kubeconfig of the existing cluster (--provider external)')
    .option('--image-map <file>', 'YAML mapping of image → image, for clusters without registry access')
    .option('--seed <seed>', "seed for the labs' parameters (default: random, printed per lab)")
    .option(
      '--converge-timeout <duration>',
      "how long each phase may take to show what the lab declares, e.g. 45s (default 30s, 10s on the sim; replaces the labs' own test.convergeTimeout)",
    )
    .option(
      '--parallel <n>',
      `labs tested at once (default: ${timingFor('sim').labConcurrency} on the sim for ${availableParallelism()} cores, 1 on kind and external)`,
    )
    .action(async (labs: string[], flags: LabTestFlags) => {
      process.exitCode = await runLabTests(labs, flags);
    });
}

/** Runs `lab test`; returns the exit code (0 when every lab behaved as declared). */
export async function runLabTests(
  labs: string[],
  flags: LabTestFlags,
  out: (line: string) => void = console.log,
): Promise<number> {
  let dirs: string[];
  let imageMap: ImageMap | undefined;
  let provider;
  let convergeTimeoutOverrideMs: number | undefined;
  let parallel: number | undefined;
  try {
    parallel = flags.parallel === undefined ? undefined : parseParallel(flags.parallel);
    dirs = resolveLabs(labs);
    imageMap = flags.imageMap ? readImageMap(flags.imageMap) : undefined;
    convergeTimeoutOverrideMs = flags.convergeTimeout
      ? parseDuration('--converge-timeout', flags.convergeTimeout)
      : undefined;
    provider = chooseProvider(flags.provider, flags.kubeconfig);
  } catch (error) {
    if (error instanceof UsageError || error instanceof GraderError || error instanceof ProviderError) {
      out(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const timing = timingFor(flags.provider);
  let clusterReport;
  try {
    clusterReport = await checkUpFront(provider, dirs, flags, imageMap, out);
  } catch (error) {
    if (error instanceof GraderError || error instanceof ProviderError) {
      out(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const testOne = async (dir: string, write: (line: string) => void): Promise<LabTestResult> => {
    try {
      return await testLab(dir, {
        provider,
        imageMap,
        seed: flags.seed,
        out: write,
        ...timing,
        convergeTimeoutOverrideMs,
        clusterReport,
      });
    } catch (error) {
      const message =
        error instanceof LabDefinitionError
          ? `invalid lab: ${error.problems.map(formatProblem).join('; ')}`
          : (error as Error).message;
      write(`✗ ${basename(dir)}: ${message}`);
      const labId = basename(dir);
      return {
        labId,
        seed: flags.seed ?? '-',
        status: 'fail',
        deviations: [message],
        bypasses: 0,
        durationMs: 0,
      };
    }
  };
  const started = performance.now();
  const results = await asTheyFinish(dirs, parallel ?? timing.labConcurrency, testOne, out);
  out('');
  for (const line of summaryTable(results, Math.round(performance.now() - started))) out(line);
  if (clusterReport && !clusterReport.ok && results.every((r) => r.status === 'skip')) {
    out('no lab could run on this cluster: see the cluster check above');
    return 1;
  }
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}

/**
 * Runs up to `concurrency` labs at once, each writing into its own buffer, and prints each lab's
 * block whole as soon as it is done with how many are done, so blocks never interleave and a slow
 * lab does not hold back the others' results.
 */
async function asTheyFinish<R>(
  dirs: string[],
  concurrency: number,
  run: (dir: string, write: (line: string) => void) => Promise<R>,
  out: (line: string) => void,
): Promise<R[]> {
  const done: R[] = [];
  let finished = 0;
  let next = 0;
  const worker = async () => {
    while (next < dirs.length) {
      const i = next++;
      const lines: string[] = [];
      done[i] = await run(dirs[i]!, (l) => lines.push(l));
      finished++;
      const last = lines.length - 1;
      lines.forEach((l, n) => out(n === last && dirs.length > 1 ? `${l}  [${finished}/${dirs.length}]` : l));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, dirs.length)) }, worker));
  return done;
}

/** `--parallel`: a whole number of labs at once, 1 to 32. */
function parseParallel(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 32))
    throw new UsageError(`--parallel "${text}" is not a number of labs from 1 to 32, e.g. --parallel 4`);
  return n;
}

function parseDuration(flag: string, text: string): number {
  if (!/^\d+(ms|s|m|h)$/.test(text))
    throw new UsageError(`${flag} "${text}" is not a duration such as 500ms, 45s or 2m`);
  return durationMs(text);
}

function readImageMap(file: string): ImageMap {
  if (!existsSync(file)) throw new UsageError(`--image-map ${file}: no such file`);
  return parseImageMap(readFileSync(file, 'utf8'), file);
}
