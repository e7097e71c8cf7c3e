import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import type { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { useTheme } from '../../../components/theme';
import { PredictiveEchoAddon } from './predictive-echo.addon';
import { TerminalSession, type SessionState } from './terminal-session';
import { XTERM_THEMES } from './xterm-theme';

/** What the tab bar and the instructions can do with a terminal. */
export interface TerminalHandle {
  run(command: string): void;
  focus(): void;
  /** Finds in the scrollback; the search addon loads on the first find, not with the room. */
  findNext(term: string): void;
  findPrevious(term: string): void;
}

interface TerminalViewProps {
  url: string;
  active: boolean;
  label: string;
  /** Draw typed keys before the shell echoes them (the learner's preference). */
  predictiveEcho: boolean;
  onState: (state: SessionState) => void;
  onCommand?: (command: string, exitCode: number | null) => void;
  ref?: Ref<TerminalHandle>;
}

/** xterm.js with its addons, fitted to its pane, fed by a resumable {@link TerminalSession}. */
export function TerminalView({
  url,
  active,
  label,
  predictiveEcho,
  onState,
  onCommand,
  ref,
}: TerminalViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const session = useRef<TerminalSession | null>(null);
  const search = useRef<Promise<SearchAddon> | null>(null);
  const fit = useRef<FitAddon | null>(null);
  const echo = useRef<PredictiveEchoAddon | null>(null);
  const predictiveEchoRef = useRef(predictiveEcho);
  const callbacks = useRef({ onState, onCommand });
  callbacks.current = { onState, onCommand };
  const { effective } = useTheme();
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const el = host.current!;
    const t = new Terminal({
      allowProposedApi: true,
      cursorBlink: true,
      fontFamily: '"JetBrains Mono Variable", ui-monospace, "DejaVu Sans Mono", monospace',
      fontSize: 13.5,
      lineHeight: 1.2,
      scrollback: 5000,
      theme: XTERM_THEMES[effective],
      screenReaderMode: false,
    });
    const fitAddon = new FitAddon();
    t.loadAddon(fitAddon);
    t.loadAddon(new WebLinksAddon((_e, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
    t.loadAddon(new Unicode11Addon());
    t.unicode.activeVersion = '11';
    const echoAddon = new PredictiveEchoAddon();
    t.loadAddon(echoAddon);
    echoAddon.setEnabled(predictiveEchoRef.current);
    t.open(el);
    t.textarea?.setAttribute('aria-label', `${label}: terminal input`);
    term.current = t;
    fit.current = fitAddon;
    echo.current = echoAddon;

    const s = new TerminalSession(url, {
      // Output goes through the echo addon: it confirms or takes back what it drew ahead.
      write: (bytes, rendered) => echoAddon.write(bytes, rendered),
      reset: () => {
        echoAddon.reset();
        t.reset();
      },
      onState: (state) => {
        // Not while replaying (the scrollback is not an echo), reconnecting, or for a read-only viewer.
        echoAddon.setActive(state.kind === 'attached' && !state.readOnly);
        callbacks.current.onState(state);
      },
      onCommand: (command, exitCode) => callbacks.current.onCommand?.(command, exitCode),
    });
    session.current = s;
    const input = t.onData((d) => {
      echoAddon.input(d);
      s.send(d);
    });
    const binary = t.onBinary((d) => {
      echoAddon.input(d);
      s.send(d);
    });
    const resize = t.onResize(({ cols, rows }) => s.resize(cols, rows));

    // Fit before connecting, so the shell starts at the size the learner sees.
    // Wait for the web font, or xterm measures the fallback font's cells.
    let cancelled = false;
    void document.fonts.load('13.5px "JetBrains Mono Variable"').finally(() => {
      if (cancelled) return;
      safeFit(fitAddon, t);
      s.resize(t.cols, t.rows);
      s.connect();
      setReady(true);
    });

    const observer = new ResizeObserver(() => {
      if (el.offsetParent !== null) safeFit(fitAddon, t);
    });
    observer.observe(el);
    const onOnline = () => s.retryNow();
    window.addEventListener('online', onOnline);

    return () => {
      cancelled = true;
      window.removeEventListener('online', onOnline);
      observer.disconnect();
      input.dispose();
      binary.dispose();
      resize.dispose();
      s.dispose();
      t.dispose();
      term.current = null;
      session.current = null;
      echo.current = null;
      search.current = null;
    };
    // The terminal is made once per tab; theme changes are applied below without a reconnect.
  }, [url]);

  useEffect(() => {
    if (term.current) term.current.options.theme = XTERM_THEMES[effective];
  }, [effective]);

  useEffect(() => {
    predictiveEchoRef.current = predictiveEcho;
    echo.current?.setEnabled(predictiveEcho);
  }, [predictiveEcho]);

  useEffect(() => {
    if (active && ready && term.current && fit.current) {
      safeFit(fit.current, term.current);
      term.current.focus();
    }
  }, [active, ready]);

  const searchAddon = () => {
    const t = term.current;
    if (!t) return null;
    search.current ??= import('@xterm/addon-search').then(({ SearchAddon: Addon }) => {
      const addon = new Addon();
      t.loadAddon(addon);
      return addon;
    });
    return search.current;
  };

  useImperativeHandle(
    ref,
    () => ({
      run(command: string) {
        const input = `${command.replace(/\n/g, '\r')}\r`;
        echo.current?.input(input);
        session.current?.send(input);
        term.current?.focus();
      },
      focus: () => term.current?.focus(),
      findNext: (q) => void searchAddon()?.then((a) => a.findNext(q)),
      findPrevious: (q) => void searchAddon()?.then((a) => a.findPrevious(q)),
    }),
    [],
  );

  return <div ref={host} className="terminal-host" data-terminal-url={url} hidden={!active} />;
}

function safeFit(fitAddon: FitAddon, t: Terminal): void {
  try {
    const dims = fitAddon.proposeDimensions();
    if (dims && dims.cols > 1 && dims.rows > 1 && (dims.cols !== t.cols || dims.rows !== t.rows))
      fitAddon.fit();
  } catch {
    /* not laid out yet (hidden tab): fitted when shown */
  }
}
