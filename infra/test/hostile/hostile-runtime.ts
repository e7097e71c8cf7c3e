import type {
  ClusterRuntime,
  ContainerTarget,
  LogOptions,
  PortForwardConnection,
  PortForwardSink,
  ProcessIO,
} from '../../src/sim/runtime/container-runtime';

/**
 * A runtime whose processes misbehave on purpose: `flood` writes output forever without waiting,
 * `deaf` never reads its stdin, every log follows with a firehose of lines, and a forwarded port
 * answers any byte with output that never ends.
 */
export class HostileRuntime implements ClusterRuntime {
  /** Forwarded connections the server has torn down. */
  portForwardsDestroyed = 0;
  start(): void {}
  async stop(): Promise<void> {}

  async exec(_t: ContainerTarget, command: string[], io: ProcessIO): Promise<number> {
    const chunk = Buffer.alloc(64 * 1024, 'y');
    if (command[0] === 'flood') {
      while (!io.signal.aborted) {
        for (let i = 0; i < 16; i++) io.stdout.write(chunk);
        await new Promise((r) => setImmediate(r));
      }
      return 130;
    }
    // `deaf`: holds stdin open and never reads it.
    io.stdin?.pause();
    await new Promise<void>((r) => io.signal.addEventListener('abort', () => r(), { once: true }));
    return 130;
  }

  async attach(t: ContainerTarget, io: ProcessIO): Promise<number | undefined> {
    return this.exec(t, ['deaf'], io);
  }

  portForward(
    _t: { namespace: string; pod: string },
    _port: number,
    sink: PortForwardSink,
  ): PortForwardConnection {
    const chunk = Buffer.alloc(64 * 1024, 'z');
    let live = true;
    const pump = () => {
      if (!live) return;
      for (let i = 0; i < 16; i++) sink.data(chunk);
      setImmediate(pump);
    };
    return {
      write: () => pump(),
      end: () => undefined,
      destroy: () => {
        if (live) this.portForwardsDestroyed++;
        live = false;
      },
    };
  }

  async *logs(_t: ContainerTarget, options: LogOptions): AsyncIterable<string> {
    const line = `${'log '.repeat(16383)}\n`;
    while (!options.signal?.aborted) {
      for (let i = 0; i < 64; i++) yield line;
      await new Promise((r) => setImmediate(r));
    }
  }
}
