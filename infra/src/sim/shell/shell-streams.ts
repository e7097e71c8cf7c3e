import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { ProcessIO } from '../runtime/container-runtime';
import type { OutputSink } from './tool-context';

/** The shell's two output sinks for an exec session: a TTY merges stderr and turns `\n` into `\r\n`. */
export function outputSinks(io: ProcessIO): { stdout: OutputSink; stderr: OutputSink } {
  if (io.tty) {
    const write: OutputSink = (text) => {
      if (text) io.stdout.write(text.replace(/\n/g, '\r\n'));
    };
    return { stdout: write, stderr: write };
  }
  return {
    stdout: (text) => {
      if (text) io.stdout.write(text);
    },
    stderr: (text) => {
      if (text) (io.stderr ?? io.stdout).write(text);
    },
  };
}

/** Reads a stream to its end as UTF-8 (empty when there is none); stops early if `signal` aborts. */
export function readAll(stream: Readable | undefined, signal: AbortSignal): Promise<string> {
  if (!stream) return Promise.resolve('');
  return new Promise((resolve) => {
    let text = '';
    const utf8 = new StringDecoder('utf8');
    const done = () => {
      stream.off('data', onData);
      signal.removeEventListener('abort', done);
      resolve(text);
    };
    const onData = (chunk: Buffer | string) =>
      (text += typeof chunk === 'string' ? chunk : utf8.write(chunk));
    stream.on('data', onData);
    stream.once('end', done);
    stream.once('close', done);
    signal.addEventListener('abort', done, { once: true });
    if (stream.readableEnded) done();
  });
}

/** An AbortSignal that fires when any of `signals` does. */
export function anySignal(...signals: AbortSignal[]): AbortSignal {
  return AbortSignal.any(signals);
}

/** Before a loop iteration: yield to the event loop, then wait while the client is not reading. */
export function pacer(stdout: Writable): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    await new Promise((resolve) => setImmediate(resolve));
    if (!stdout.writableNeedDrain || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stdout.off('drain', done);
        stdout.off('close', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      stdout.once('drain', done);
      stdout.once('close', done);
      signal.addEventListener('abort', done, { once: true });
    });
  };
}

/** Decodes stream chunks as UTF-8, keeping a character split between two chunks whole. */
export function utf8Chunks(): (chunk: Buffer | string) => string {
  const decoder = new StringDecoder('utf8');
  return (chunk) => (typeof chunk === 'string' ? chunk : decoder.write(chunk));
}
