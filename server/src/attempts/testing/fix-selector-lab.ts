import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Fixes the svc-selector-mismatch lab as a learner would, with the real kubectl against the
 * attempt's kubeconfig: reads the lab Pods' `tier` label and points the Service's selector at it.
 */
export async function fixSelectorLab(kubeconfigText: string, dir: string): Promise<void> {
  const kubeconfig = join(dir, 'learner.kubeconfig');
  writeFileSync(kubeconfig, kubeconfigText);
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  const kubectl = async (...args: string[]) => (await run('kubectl', args, { env })).stdout;
  const services = JSON.parse(await kubectl('get', 'services', '-A', '-o', 'json')) as {
    items: { metadata: { name: string; namespace: string } }[];
  };
  const target = services.items.find((s) => !['default', 'kube-system'].includes(s.metadata.namespace))!;
  const { namespace, name } = target.metadata;
  const pods = JSON.parse(
    await kubectl('-n', namespace, 'get', 'pods', '-l', `app=${name}`, '-o', 'json'),
  ) as {
    items: { metadata: { labels: Record<string, string> } }[];
  };
  const tier = pods.items[0]!.metadata.labels.tier!;
  await kubectl(
    '-n',
    namespace,
    'patch',
    'service',
    name,
    '--type=merge',
    '-p',
    JSON.stringify({ spec: { selector: { tier } } }),
  );
}
