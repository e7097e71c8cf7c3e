import type { Readable, Writable } from 'node:stream';

/** Where the password comes from: the terminal (typed twice, not echoed) or piped stdin. */
export interface PasswordSource {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stderr: Writable;
}

/**
 * Reads a new password: prompted twice without echo when stdin is a terminal, else the first line
 * of stdin (`echo "$PW" | netlab admin create ...`). Throws with a sentence when it is unusable.
 */
export async function readNewPassword(source: PasswordSource): Promise<string> {
  if (!source.stdin.isTTY) {
    const text = await readAll(source.stdin);
    return text.split(/\r?\n/)[0] ?? '';
  }
  const first = await prompt(source, 'New password: ');
  const second = await prompt(source, 'Repeat it: ');
  if (first !== second) throw new Error('the two passwords differ; nothing was changed');
  return first;
}

function readAll(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

/** One line from a raw-mode terminal, echoing nothing; Ctrl-C aborts. */
function prompt({ stdin, stderr }: PasswordSource, question: string): Promise<string> {
  stderr.write(question);
  stdin.setRawMode?.(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let line = '';
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    };
    stdin.on('data', onData);
  });
}
