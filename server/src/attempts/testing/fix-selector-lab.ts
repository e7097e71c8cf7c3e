import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Looks at the svc-selector-mismatch lab as a learner would, with the real kubectl against the
 * attempt's kubeconfig (written to `kubeconfigFile`): reads the lab Pods' `tier` label. Returns the
 * fix, to run when wanted: pointing the Service's selector at that label.
 */
export async function prepareSelectorFix(
  kubeconfigText: string,
  kubeconfigFile: string,
): Promise<() => Promise<void>> {
  writeFileSync(kubeconfigFile, kubeconfigText);
  const env = { ...process.env, KUBECONFIG: kubeconfigFile };
  const kubectl = async (...args: string[]) => (await run('kubectl', args, { env })).stdout;
  const services = JSON.parse(await kubectl('get', 'services', '-A', '-o', 'json')) as {
    items: { metadata: { name: string; namespace: string } }[];
  };
  const target = services.items.find((s) => !['default', 'kube-system'].includes(s.metadata.namespace))!;
  const { namespace, name } = target.metadata;
  const pods = JSON.parse(
    await kubectl('-n', namespace, 'get', 'pods', '-l', `app=${name}`, '-o', 'json'),
  ) as { items: { metadata: { labels: Record<string, string> } }[] };
  const tier = pods.items[0]!.metadata.labels.tier!;
  const patch = JSON.stringify({ spec: { selector: { tier } } });
  return async () => {
    await kubectl('-n', namespace, 'patch', 'service', name, '--type=merge', '-p', patch);
  };
}

/** Fixes the svc-selector-mismatch lab at once (see {@link prepareSelectorFix}). */
export async function fixSelectorLab(kubeconfigText: string, kubeconfigFile: string): Promise<void> {
  await (
    await prepareSelectorFix(kubeconfigText, kubeconfigFile)
  )();
}
