import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SimCluster } from '@netlab/infra';

/** Options of `netlab sim up`, as commander parses them. */
interface SimUpOptions {
  nodes: number;
  cni: boolean;
  name: string;
  minor: number;
}

function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

/**
 * Starts one sim cluster in the foreground and keeps it until Ctrl-C (or SIGTERM). `out` receives the
 * lines the user reads; resolves once the cluster is up, with a function that stops it.
 */
export async function simUp(
  options: SimUpOptions,
  out: (line: string) => void,
): Promise<() => Promise<void>> {
  const cluster = await SimCluster.start({
    name: options.name,
    nodes: options.nodes,
    cni: options.cni,
    minor: options.minor,
  });
  const dir = mkdtempSync(join(tmpdir(), 'netlab-sim-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, cluster.kubeconfig, { mode: 0o600 });
  out(
    `sim cluster "${options.name}" is up: ${options.nodes} node${options.nodes === 1 ? '' : 's'}, ${options.cni ? 'CNI kindnet' : 'no CNI (nodes stay NotReady until you apply one)'}, API ${cluster.url}`,
  );
  out(`kubeconfig: ${kubeconfig}`);
  out(`export KUBECONFIG=${kubeconfig}`);
  out('Press Ctrl-C to stop.');
  return async () => {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

/** `netlab sim up [--nodes N] [--no-cni]`: one emulated cluster to explore with kubectl. */
export function simCommand(): Command {
  const sim = new Command('sim').description('emulated Kubernetes clusters (the sim provider)');
  sim
    .command('up')
    .description('start a sim cluster in the foreground and print its kubeconfig; Ctrl-C stops it')
    .option('--nodes <n>', 'nodes in all (one control-plane plus workers)', wholeNumber(1, 20), 3)
    .option('--no-cni', 'start without a CNI: nodes NotReady, pods stuck in ContainerCreating')
    .option('--name <name>', 'cluster name (node names derive from it)', 'netlab')
    .option(
      '--minor <minor>',
      'Kubernetes minor the API reports (selects the kubectl version)',
      wholeNumber(27, 33),
      33,
    )
    .action(async (options: SimUpOptions) => {
      let stop: () => Promise<void>;
      try {
        stop = await simUp(options, (line) => process.stdout.write(`${line}\n`));
      } catch (error) {
        process.stderr.write(`error: the sim cluster did not start: ${(error as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      await new Promise<void>((resolve) => {
        const onSignal = (): void => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          process.stdout.write('\nstopping the sim cluster...\n');
          void stop().then(() => {
            process.stdout.write('stopped\n');
            resolve();
          });
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
    });
  return sim;
}
