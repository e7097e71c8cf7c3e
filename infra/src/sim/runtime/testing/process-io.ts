import { PassThrough, Writable } from 'node:stream';
import type { ProcessIO } from '../container-runtime';

/** A ProcessIO over in-memory streams: write to `stdin`, read `out()` / `err()`. */
export function aProcessIO(options: { tty?: boolean; input?: string } = {}): ProcessIO & {
  out(): string;
  err(): string;
  controller: AbortController;
  stdin: PassThrough;
} {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  if (options.input !== undefined) stdin.end(options.input);
  const controller = new AbortController();
  return {
    stdin,
    stdout: new Writable({
      write(chunk: Buffer, _e, cb) {
        out += chunk.toString();
        cb();
      },
    }),
    stderr: new Writable({
      write(chunk: Buffer, _e, cb) {
        err += chunk.toString();
        cb();
      },
    }),
    tty: options.tty ?? false,
    onResize: () => () => {},
    signal: controller.signal,
    controller,
    out: () => out,
    err: () => err,
  };
}
