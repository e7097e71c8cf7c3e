import { Counter, Gauge, register } from 'prom-client';

function gauge(name: string, help: string): Gauge {
  return (register.getSingleMetric(name) as Gauge | undefined) ?? new Gauge({ name, help });
}

function counter(name: string, help: string, labelNames: string[] = []): Counter {
  return (register.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help, labelNames });
}

/** The terminal gateway's metrics, on prom-client's default registry. */
export const terminalMetrics = {
  shells: gauge('netlab_terminal_shells', 'Toolbox shells open (with or without a connected browser).'),
  connections: gauge('netlab_terminal_connections', 'Terminal WebSocket connections attached to a shell.'),
  outputBytes: counter('netlab_terminal_output_bytes_total', 'Shell output bytes received from toolboxes.'),
  inputBytes: counter('netlab_terminal_input_bytes_total', 'Keystroke bytes sent to toolboxes.'),
  pauses: counter(
    'netlab_terminal_exec_pauses_total',
    'Times a shell was paused because its output was not acknowledged (flow control).',
  ),
  refused: counter('netlab_terminal_refused_total', 'Terminal upgrades refused, by HTTP status.', ['status']),
  commands: counter('netlab_terminal_commands_total', 'Command lines recorded in the command log.'),
};
