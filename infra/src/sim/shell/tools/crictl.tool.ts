import type { Tool } from '../tool-context';

/** go-units HumanDuration, as crictl prints CREATED (`2 minutes ago`). */
export function unitsHumanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(m / 60);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`;
  if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`;
  return `${Math.floor(h / 24 / 365)} years`;
}

/** Go's tabwriter as crictl configures it (minwidth 20, padding 3); the last column is not padded. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(20, ...rows.map((r) => (r[i] ?? '').length + 3)));
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join(''))
    .join('\n');
}

const USAGE =
  'NAME:\n   crictl - client for CRI\n\nUSAGE:\n   crictl [global options] command [command options]\n\nCOMMANDS:\n   pods   List pods\n   ps     List containers\n';

/** crictl ps / pods, answered from the node's kubelet (containerd's view of the pods it runs). */
export const crictlTool: Tool = async (ctx) => {
  const [command, ...rest] = ctx.args;
  const cri = ctx.host.cri?.();
  if (!cri) {
    ctx.stderr(
      'time="' +
        new Date(ctx.clock.now()).toISOString() +
        '" level=fatal msg="validate service connection: validate CRI v1 runtime API for endpoint \\"unix:///run/containerd/containerd.sock\\": rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory\\""\n',
    );
    return 1;
  }
  const now = ctx.clock.now();
  const quiet = rest.includes('-q') || rest.includes('--quiet');
  const nameAt = rest.findIndex((a) => a === '--name');
  const name = nameAt >= 0 ? rest[nameAt + 1] : rest.find((a) => a.startsWith('--name='))?.slice(7);
  const nsAt = rest.findIndex((a) => a === '--namespace');
  const namespace = nsAt >= 0 ? rest[nsAt + 1] : undefined;
  const matches = (n: string) => !name || new RegExp(name).test(n);
  if (command === 'ps') {
    const all = rest.includes('-a') || rest.includes('--all');
    const list = cri.containers
      .filter((c) => (all || c.state === 'Running') && matches(c.name))
      .filter((c) => !namespace || c.namespace === namespace)
      .sort((a, b) => b.createdMs - a.createdMs);
    if (quiet) {
      ctx.stdout(list.map((c) => `${c.id}\n`).join(''));
      return 0;
    }
    const rows = [
      ['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE'],
      ...list.map((c) => [
        c.id.slice(0, 13),
        c.imageId.slice(0, 13),
        `${unitsHumanDuration(now - c.createdMs)} ago`,
        c.state === 'Running' ? 'Running' : c.state,
        c.name,
        String(c.attempt),
        c.podId.slice(0, 13),
        c.pod,
        c.namespace,
      ]),
    ];
    ctx.stdout(`${table(rows)}\n`);
    return 0;
  }
  if (command === 'pods') {
    const list = cri.pods
      .filter((p) => matches(p.name) && (!namespace || p.namespace === namespace))
      .sort((a, b) => b.createdMs - a.createdMs);
    if (quiet) {
      ctx.stdout(list.map((p) => `${p.id}\n`).join(''));
      return 0;
    }
    const rows = [
      ['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME'],
      ...list.map((p) => [
        p.id.slice(0, 13),
        `${unitsHumanDuration(now - p.createdMs)} ago`,
        p.state,
        p.name,
        p.namespace,
        String(p.attempt),
        '(default)',
      ]),
    ];
    ctx.stdout(`${table(rows)}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h') {
    ctx.stdout(USAGE);
    return 0;
  }
  ctx.stderr(`No help topic for '${command}'\n`);
  return 3;
};
