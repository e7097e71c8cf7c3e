import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

const SHELL_LANGS = new Set(['', 'sh', 'bash', 'shell', 'console', 'zsh']);

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A code block gets "Copy" and, when it is a shell command, "Run in terminal" (wired by delegation). */
function renderCode({ text, lang }: Tokens.Code): string {
  const language = (lang ?? '').trim().split(/\s+/)[0]!.toLowerCase();
  const runnable = SHELL_LANGS.has(language) && commandLines(text).length > 0;
  const buttons = [
    '<button type="button" class="code-action" data-code-action="copy">Copy</button>',
    runnable
      ? '<button type="button" class="code-action" data-code-action="run">Run in terminal</button>'
      : '',
  ].join('');
  const cls = language ? ` class="language-${escapeHtml(language)}"` : '';
  return `<div class="code-block"><div class="code-actions">${buttons}</div><pre><code${cls}>${escapeHtml(text)}</code></pre></div>`;
}

const marked = new Marked({ gfm: true, breaks: false, renderer: { code: renderCode } });

/**
 * Markdown from the lab (instructions, hints, debrief) to HTML that is safe to inject: DOMPurify
 * removes scripts, event handlers and javascript: URLs whatever the lab author wrote.
 */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false });
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    ADD_ATTR: ['data-code-action', 'target', 'rel'],
    FORBID_TAGS: ['style', 'form', 'input', 'iframe'],
  });
}

/**
 * The command lines of a shell code block, ready to type: prompts ("$ ") and comment-only lines
 * removed; in a `console` block (prompt + output), only the prompted lines.
 */
export function commandLines(code: string): string[] {
  const lines = code.split('\n');
  const prompted = lines.filter((l) => /^\s*\$ /.test(l));
  const source = prompted.length ? prompted.map((l) => l.replace(/^\s*\$ /, '')) : lines;
  const out: string[] = [];
  let pending = '';
  for (const raw of source) {
    const line = raw.trimEnd();
    if (!pending && (!line.trim() || line.trim().startsWith('#'))) continue;
    // Keep backslash continuations together as one command.
    pending += (pending ? '\n' : '') + line;
    if (!line.endsWith('\\')) {
      out.push(pending);
      pending = '';
    }
  }
  if (pending) out.push(pending);
  return out;
}
