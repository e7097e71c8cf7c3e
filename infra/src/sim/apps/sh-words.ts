/** One simple command of a script: its words, where its output goes, and how it is joined to the next. */
export interface SimpleCommand {
  words: string[];
  /** `> file` / `>> file` target. */
  redirect?: { file: string; append: boolean };
  /** Run in the background (`&`). */
  background: boolean;
  /** Output piped into the next command. */
  pipeTo: boolean;
  /** Inside a `while true`/`while :`/`until false` loop body. */
  inLoop: boolean;
}

/**
 * Splits a POSIX shell script into simple commands: quotes, backslashes, `;` `&&` `||` `|` `&`
 * and newlines; `while true; do ...; done` loops are flattened with `inLoop` set. This is enough to
 * read what a container's `sh -c` does (its logs, files, listeners and how it ends), not to run it:
 * interactive shells run in the shell engineer's emulated shell.
 */
export function splitScript(script: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let redirect: SimpleCommand['redirect'];
  let pendingRedirect: { append: boolean } | undefined;
  let loopDepth = 0;
  let pendingLoop = false;

  const endWord = () => {
    if (!inWord) return;
    if (pendingRedirect) {
      redirect = { file: word, append: pendingRedirect.append };
      pendingRedirect = undefined;
    } else words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (background: boolean, pipeTo: boolean) => {
    endWord();
    if (words.length > 0) {
      const first = words[0]!;
      if (first === 'while' || first === 'until') {
        const cond = words.slice(1).join(' ');
        pendingLoop =
          /^(true|:|\[ 1 \]|\[ 1 -eq 1 \])$/.test(cond) || (first === 'until' && cond === 'false');
        if (pendingLoop) loopDepth++;
      } else if (first === 'done') {
        if (loopDepth > 0) loopDepth--;
      } else {
        const body = first === 'do' || first === 'then' || first === 'else' ? words.slice(1) : words;
        if (body.length > 0 && !['fi', 'if', 'for'].includes(body[0]!)) {
          out.push({
            words: body,
            ...(redirect ? { redirect } : {}),
            background,
            pipeTo,
            inLoop: loopDepth > 0,
          });
        }
      }
    }
    words = [];
    redirect = undefined;
  };

  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      word += script.slice(i + 1, end < 0 ? script.length : end);
      inWord = true;
      i = end < 0 ? script.length : end;
    } else if (c === '"') {
      inWord = true;
      for (i++; i < script.length && script[i] !== '"'; i++) {
        if (script[i] === '\\' && i + 1 < script.length && '"\\$`'.includes(script[i + 1]!)) i++;
        word += script[i];
      }
    } else if (c === '\\' && i + 1 < script.length) {
      if (script[i + 1] !== '\n') word += script[i + 1];
      inWord = true;
      i++;
    } else if (c === '#' && !inWord) {
      while (i < script.length && script[i] !== '\n') i++;
      endCommand(false, false);
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '>') {
      endWord();
      const append = script[i + 1] === '>';
      if (append) i++;
      if (script[i + 1] === '&') {
        i += 2; // 2>&1 style: not a file
        continue;
      }
      if (/\d$/.test(words[words.length - 1] ?? '') && words[words.length - 1]!.length === 1) words.pop();
      pendingRedirect = { append };
    } else if (c === ';' || c === '\n') {
      endCommand(false, false);
    } else if (c === '&') {
      if (script[i + 1] === '&') i++;
      endCommand(script[i] === '&' && script[i - 1] !== '&', false);
    } else if (c === '|') {
      const or = script[i + 1] === '|';
      if (or) i++;
      endCommand(false, !or);
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand(false, false);
  return out;
}
