import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import { GraderError, parseImageMap, unmetNeeds, type ImageMap } from '@netlab/grader';
import { ExternalProvider } from '@netlab/infra';
import { LabDefinitionError, formatProblem, loadLabOrThrow, type LoadedLab } from '@netlab/labs';
import { checkClusterForLabs, formatClusterReport } from '../cluster/cluster-check';
import { labClusterNeeds } from '../../clusters/lab-actions';
import { resolveLabs } from '../lab-test/lab-dirs';
import { UsageError } from '../lab-test/provider-choice';

interface ClusterCheckFlags {
  kubeconfig?: string;
  imageMap?: string;
  json?: boolean;
}

/** `netlab cluster check [--kubeconfig F] [--image-map F] [--json] [lab...]`. */
export function clusterCheckCommand(): Command {
  return new Command('check')
    .description(
      'check that a cluster can run netlab labs: version, APIs, pod network, DNS, NetworkPolicy enforcement, image pulls',
    )
    .argument('[lab...]', 'labs whose images and APIs to check too (default: every lab in the catalog)')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (default: $KUBECONFIG)')
    .option('--image-map <file>', 'YAML mapping of image → image, as for lab test')
    .option('--json', 'print the report as JSON')
    .action(async (labs: string[], flags: ClusterCheckFlags) => {
      process.exitCode = await runClusterCheck(labs, flags);
    });
}

/** Runs the check; 0 when the cluster has everything, 1 when something is missing, 2 on bad input or no cluster. */
export async function runClusterCheck(
  labIds: string[],
  flags: ClusterCheckFlags,
  out: (line: string) => void = console.log,
): Promise<number> {
  let kubeconfig: string;
  let labs: LoadedLab[];
  let imageMap: ImageMap | undefined;
  try {
    kubeconfig = readKubeconfig(flags.kubeconfig);
    imageMap = flags.imageMap ? readImageMap(flags.imageMap) : undefined;
    labs = resolveLabs(labIds).map((dir) => loadLabOrThrow(dir, { seed: 'cluster-check' }));
  } catch (error) {
    if (error instanceof UsageError || error instanceof GraderError) {
      out(`error: ${error.message}`);
      return 2;
    }
    if (error instanceof LabDefinitionError) {
      out(`error: invalid lab: ${error.problems.map(formatProblem).join('; ')}`);
      return 2;
    }
    throw error;
  }
  let report;
  try {
    const runnable = labs.filter((lab) => !ExternalProvider.refusal(labClusterNeeds(lab)));
    report = await checkClusterForLabs(kubeconfig, runnable, imageMap, {
      podStartTimeoutMs: 120_000,
      enforcementTimeoutMs: 15_000,
      connectTimeoutMs: 1000,
    });
  } catch (error) {
    if (error instanceof GraderError) {
      out(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const verdicts = labs.map((lab) => {
    const refusal = ExternalProvider.refusal(labClusterNeeds(lab));
    const why = [...(refusal ? [`its fault ${refusal}`] : []), ...unmetNeeds(lab, report, imageMap)];
    return { lab: lab.definition.id, runs: why.length === 0, why };
  });
  if (flags.json) {
    out(JSON.stringify({ ...report, labs: verdicts }, null, 2));
  } else {
    for (const line of formatClusterReport(report)) out(line);
    out('');
    out(`labs (${verdicts.filter((v) => v.runs).length} of ${verdicts.length} can run here):`);
    for (const v of verdicts) out(v.runs ? `  ✓ ${v.lab}` : `  - ${v.lab}: ${v.why.join('; ')}`);
  }
  return report.ok ? 0 : 1;
}

function readKubeconfig(path: string | undefined): string {
  const file = path ?? process.env.KUBECONFIG?.split(':')[0];
  if (!file) throw new UsageError('give the cluster with --kubeconfig <file> (or set KUBECONFIG)');
  if (!existsSync(file)) throw new UsageError(`--kubeconfig ${file}: no such file`);
  return readFileSync(file, 'utf8');
}

function readImageMap(file: string): ImageMap {
  if (!existsSync(file)) throw new UsageError(`--image-map ${file}: no such file`);
  return parseImageMap(readFileSync(file, 'utf8'), basename(file));
}
