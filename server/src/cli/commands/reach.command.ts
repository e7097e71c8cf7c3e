import { Command, Option } from 'commander';
import {
  buildNetModel,
  GraderError,
  GraderErrorCode,
  parseClusterState,
  type ClusterState,
  type ListenerMode,
  type NetworkOptions,
  type PodRef,
} from '@netlab/grader/netmodel';
import {
  parseBatchLine,
  parseDestination,
  parseListenerHints,
  parsePort,
  parseProtocol,
  parseSource,
  ReachInputError,
} from '../reach/reach-args';
import { formatHuman, formatMatrix, toJson } from '../reach/reach-output';
import { readInput } from '../reach/read-input';

/** Options of `netlab reach`, as commander parses them. */
interface ReachOptions {
  state?: string;
  from?: string;
  to?: string;
  port?: string;
  protocol?: string;
  policyOnly?: boolean;
  listeners?: string;
  listen: string[];
  exactListeners?: boolean;
  json?: boolean;
  batch?: string;
  matrix?: boolean;
  namespaces?: string;
  clusterDomain?: string;
  dns: boolean;
  serviceProxy: boolean;
  policyEnforcement: boolean;
}

/** `netlab reach`: can A reach B in a cluster dump, and if not, which link breaks. */
export function reachCommand(): Command {
  return new Command('reach')
    .description(
      'can A reach B? Walk DNS, Service, endpoints, NetworkPolicy and listeners over a cluster dump',
    )
    .option(
      '--state <file>',
      'cluster dump: kubectl get ns,pods,svc,endpointslices,networkpolicies,nodes -A -o yaml (- for stdin)',
    )
    .option('--from <source>', 'ns/pod or an IP address')
    .option('--to <destination>', 'ns/pod, an IP, svc/ns/name, or a DNS name resolved from the source pod')
    .option('--port <port>', 'a port number or a port name')
    .addOption(new Option('--protocol <protocol>', 'TCP, UDP or SCTP').default('TCP'))
    .option('--policy-only', 'evaluate routing and NetworkPolicy only: every destination listens')
    .option('--listeners <file>', 'listener hints, one a line: ns/pod[:container] ADDRESS:PORT[/PROTOCOL]')
    .option(
      '--listen <hint>',
      'one listener hint, e.g. "shop/web-1 127.0.0.1:8080/TCP" (repeatable)',
      collect,
      [],
    )
    .option('--exact-listeners', 'the hints are the only listeners (declared containerPorts do not count)')
    .option('--json', 'print {"allowed","verdict","path","reason"} as JSON')
    .option(
      '--batch <file>',
      'JSON Lines of {"from","to","port","protocol"}, answered as JSON Lines in order (- for stdin)',
    )
    .option('--matrix', 'a who-can-reach-whom table of pods × pods on --port')
    .option('--namespaces <list>', 'with --matrix: comma-separated namespaces (default: all)')
    .option('--cluster-domain <domain>', 'the cluster DNS domain', 'cluster.local')
    .option('--no-dns', 'cluster DNS is down: every cluster name fails')
    .option('--no-service-proxy', 'kube-proxy is not running: ClusterIPs and NodePorts go nowhere')
    .option('--no-policy-enforcement', 'the CNI does not enforce NetworkPolicy')
    .addHelpText(
      'after',
      '\nExit codes: 0 allowed (or --batch/--matrix done), 1 not allowed, 2 bad input.\n' +
        'Formats (input, listener hints, JSON output): grader/README.md.',
    )
    .action((options: ReachOptions) => {
      process.exitCode = runReach(options);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Runs one invocation; returns the exit code. Bad input is one line on stderr and exit code 2. */
export function runReach(
  options: ReachOptions,
  out: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
  err: (text: string) => void = (t) => process.stderr.write(`${t}\n`),
): number {
  try {
    return execute(options, out);
  } catch (error) {
    if (error instanceof GraderError && error.code === GraderErrorCode.INVALID_INPUT) {
      err(`netlab reach: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

function execute(options: ReachOptions, out: (text: string) => void): number {
  if (!options.state)
    throw new ReachInputError('--state is required: a file with the cluster dump, or - for stdin');
  const modes = [options.batch !== undefined, options.matrix === true].filter(Boolean).length;
  if (modes > 1) throw new ReachInputError('--batch and --matrix cannot be combined');
  if (options.batch === '-' && options.state === '-')
    throw new ReachInputError('--state and --batch cannot both read stdin');
  const state = parseClusterState(readInput(options.state, '--state'));
  const model = buildNetModel(state, networkOptions(options, state));

  if (options.matrix) {
    if (!options.port) throw new ReachInputError('--matrix needs --port');
    const pods = matrixPods(state, options.namespaces);
    const matrix = model.matrix(pods, pods, parsePort(options.port), parseProtocol(options.protocol));
    out(options.json ? JSON.stringify(matrix) : formatMatrix(matrix));
    return 0;
  }
  if (options.batch !== undefined) {
    const lines = readInput(options.batch, '--batch').split('\n');
    const answers: string[] = [];
    let bad = 0;
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try {
        answers.push(JSON.stringify(toJson(model.reach(parseBatchLine(line, i + 1)))));
      } catch (error) {
        if (!(error instanceof GraderError)) throw error;
        bad++;
        answers.push(JSON.stringify({ error: error.message }));
      }
    });
    if (answers.length) out(answers.join('\n'));
    return bad ? 2 : 0;
  }
  const missing = (['from', 'to', 'port'] as const).filter((k) => !options[k]);
  if (missing.length) {
    throw new ReachInputError(
      `${missing.map((m) => `--${m}`).join(', ')} required (or use --batch or --matrix)`,
    );
  }
  const query = {
    from: parseSource(options.from!),
    to: parseDestination(options.to!),
    port: parsePort(options.port!),
    protocol: parseProtocol(options.protocol),
  };
  const result = model.reach(query);
  out(options.json ? JSON.stringify(toJson(result), null, 2) : formatHuman(query, result));
  return result.allowed ? 0 : 1;
}

function networkOptions(options: ReachOptions, state: ClusterState): NetworkOptions {
  const hints = [
    ...(options.listeners
      ? parseListenerHints(readInput(options.listeners, '--listeners'), options.listeners, state)
      : []),
    ...options.listen.flatMap((h, i) => parseListenerHints(h, `--listen #${i + 1}`, state)),
  ];
  const listeners: ListenerMode = options.policyOnly
    ? { mode: 'any' }
    : options.exactListeners
      ? { mode: 'exact', listeners: hints }
      : { mode: 'declared', hints };
  return {
    clusterDomain: options.clusterDomain ?? 'cluster.local',
    dnsAvailable: options.dns,
    serviceProxy: options.serviceProxy,
    policyEnforced: options.policyEnforcement,
    listeners,
  };
}

function matrixPods(state: ClusterState, namespaces: string | undefined): PodRef[] {
  const wanted = namespaces
    ? namespaces
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
    : undefined;
  const pods = state.pods
    .map((p) => ({ namespace: p.metadata?.namespace ?? 'default', name: p.metadata?.name ?? '' }))
    .filter((p) => !wanted || wanted.includes(p.namespace))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  if (wanted) {
    const unknown = wanted.filter((n) => !pods.some((p) => p.namespace === n));
    if (unknown.length) throw new ReachInputError(`--namespaces: no Pods in ${unknown.join(', ')}`);
  }
  return pods;
}
