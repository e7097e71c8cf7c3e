import { useMemo, useRef, type MouseEvent } from 'react';
import { commandLines, renderMarkdown } from './markdown';

interface MarkdownViewProps {
  markdown: string;
  /** When given, shell code blocks offer "Run in terminal". */
  onRun?: ((command: string) => void) | undefined;
  className?: string;
}

/** Renders lab Markdown safely; code blocks get working Copy / Run in terminal buttons. */
export function MarkdownView({ markdown, onRun, className }: MarkdownViewProps) {
  const html = useMemo(() => renderMarkdown(markdown), [markdown]);
  const ref = useRef<HTMLDivElement>(null);

  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-code-action]');
    if (!button) return;
    const code = button.closest('.code-block')?.querySelector('code')?.textContent ?? '';
    if (button.dataset.codeAction === 'copy') {
      void copyText(code).then((ok) => flash(button, ok ? 'Copied' : 'Press Ctrl+C'));
    } else if (button.dataset.codeAction === 'run' && onRun) {
      for (const line of commandLines(code)) onRun(line);
      flash(button, 'Sent');
    }
  };

  return (
    <div
      ref={ref}
      className={`prose ${onRun ? '' : 'prose-no-run'} ${className ?? ''}`}
      onClick={onClick}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function flash(button: HTMLButtonElement, label: string) {
  const original = button.dataset.label ?? button.textContent ?? '';
  button.dataset.label = original;
  button.textContent = label;
  button.setAttribute('aria-live', 'polite');
  window.setTimeout(() => (button.textContent = original), 1500);
}
