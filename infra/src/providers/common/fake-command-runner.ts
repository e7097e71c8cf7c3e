import {
  RunError,
  type CommandRunner,
  type RunFailure,
  type RunOptions,
  type RunResult,
} from './command-runner';

/** What the fake answers: output, a failure, or a function of the call. */
export type FakeReply =
  | { stdout?: string; stderr?: string }
  | { fail: RunFailure; exitCode?: number; stdout?: string; stderr?: string }
  | FakeReplyFunction;

/** A reply computed from the call. */
export type FakeReplyFunction = (
  argv: readonly string[],
  options: RunOptions,
) => FakeReply | Promise<FakeReply>;

/** One command the fake was asked to run. */
export interface FakeCall {
  argv: string[];
  options: RunOptions;
}

interface Rule {
  prefix: readonly string[];
  reply: FakeReply;
  once: boolean;
}

/**
 * A strict scripted {@link CommandRunner} for tests: every command must match a rule (by argv
 * prefix; the longest matching prefix wins, then one-shot rules in order, then the standing rule
 * set last, so a test can override a default), or it throws.
 */
export class FakeCommandRunner implements CommandRunner {
  /** Every call, in order. */
  readonly calls: FakeCall[] = [];
  private readonly rules: Rule[] = [];

  /** Answers every command starting with `prefix`. */
  on(prefix: readonly string[], reply: FakeReply = {}): this {
    this.rules.push({ prefix, reply, once: false });
    return this;
  }

  /** Answers the next command starting with `prefix`, once. */
  once(prefix: readonly string[], reply: FakeReply = {}): this {
    this.rules.push({ prefix, reply, once: true });
    return this;
  }

  /** The argv of every call, in order. */
  get argvs(): string[][] {
    return this.calls.map((c) => c.argv);
  }

  /** The calls whose argv starts with `prefix`. */
  callsTo(prefix: readonly string[]): FakeCall[] {
    return this.calls.filter((c) => startsWith(c.argv, prefix));
  }

  /** Looks up the rule and answers as the real runner would. */
  async run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    this.calls.push({ argv: [...argv], options });
    const rule = this.match(argv);
    if (!rule) throw new Error(`FakeCommandRunner: no rule for \`${argv.join(' ')}\``);
    if (rule.once) this.rules.splice(this.rules.indexOf(rule), 1);
    let reply = rule.reply;
    while (typeof reply === 'function') reply = await reply(argv, options);
    if ('fail' in reply) {
      const code = reply.fail === 'exit' ? (reply.exitCode ?? 1) : null;
      throw new RunError(argv, reply.fail, code, reply.stdout ?? '', reply.stderr ?? '');
    }
    return { stdout: reply.stdout ?? '', stderr: reply.stderr ?? '' };
  }

  private match(argv: readonly string[]): Rule | undefined {
    const candidates = this.rules
      .map((rule, order) => ({ rule, order }))
      .filter(({ rule }) => startsWith(argv, rule.prefix));
    // Longest prefix first; then one-shot rules in the order given; then the standing rule set last.
    candidates.sort(
      (a, b) =>
        b.rule.prefix.length - a.rule.prefix.length ||
        Number(b.rule.once) - Number(a.rule.once) ||
        (a.rule.once ? a.order - b.order : b.order - a.order),
    );
    return candidates[0]?.rule;
  }
}

/** A reply that never answers until the call is cancelled through its signal (for timeout tests). */
export function hangUntilAborted(): FakeReplyFunction {
  return (_argv, options) =>
    new Promise<FakeReply>((resolve) => {
      const done = () => resolve({ fail: 'aborted' });
      if (options.signal?.aborted) done();
      else options.signal?.addEventListener('abort', done, { once: true });
    });
}

function startsWith(argv: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((p, i) => argv[i] === p);
}
