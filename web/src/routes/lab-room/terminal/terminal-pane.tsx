import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useRef,
  useState,
  type KeyboardEvent,
  type Ref,
} from 'react';
import { CrossIcon, PlusIcon, SearchIcon } from '../../../components/icons';
import { loadPredictiveEcho, savePredictiveEcho } from './echo-preference';
import { loadTabs, MAX_TABS, nextTab, saveTabs, type TerminalTab } from './terminal-tabs';
import type { SessionState } from './terminal-session';
import { type TerminalHandle, TerminalView } from './terminal-view';

/** What the lab room may do with the terminals: type a command into the visible one. */
export interface TerminalPaneHandle {
  run(command: string): void;
}

interface TerminalPaneProps {
  attemptId: string;
  onCommand?: (command: string, exitCode: number | null) => void;
  ref?: Ref<TerminalPaneHandle>;
}

const wsUrl = (attemptId: string, terminalId: string) =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/attempts/${encodeURIComponent(attemptId)}/terminals/${terminalId}/ws`;

/** Terminal tabs, each its own shell in the attempt's toolbox, with the connection state in view. */
export function TerminalPane({ attemptId, onCommand, ref }: TerminalPaneProps) {
  const [tabs, setTabs] = useState<TerminalTab[]>(() => loadTabs(attemptId));
  const [activeId, setActiveId] = useState(tabs[0]!.id);
  const [states, setStates] = useState<Record<string, SessionState>>({});
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const [predictiveEcho, setPredictiveEcho] = useState(loadPredictiveEcho);
  const views = useRef(new Map<string, TerminalHandle>());

  useEffect(() => saveTabs(attemptId, tabs), [attemptId, tabs]);

  useImperativeHandle(ref, () => ({ run: (command) => views.current.get(activeId)?.run(command) }), [
    activeId,
  ]);

  const addTab = () => {
    if (tabs.length >= MAX_TABS) return;
    const tab = nextTab(tabs);
    setTabs([...tabs, tab]);
    setActiveId(tab.id);
  };
  const closeTab = (id: string) => {
    const rest = tabs.filter((t) => t.id !== id);
    if (!rest.length) return;
    setTabs(rest);
    if (id === activeId) setActiveId(rest[Math.max(0, tabs.findIndex((t) => t.id === id) - 1)]!.id);
  };
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.findIndex((t) => t.id === activeId);
    const move = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!move) return;
    e.preventDefault();
    const next = tabs[(i + move + tabs.length) % tabs.length]!;
    setActiveId(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  const setState = useCallback(
    (id: string, s: SessionState) => setStates((prev) => ({ ...prev, [id]: s })),
    [],
  );

  const state = states[activeId] ?? { kind: 'connecting' };
  return (
    <section className="terminal-pane" aria-label="Terminal">
      <div className="terminal-bar">
        <div className="terminal-tabs">
          <div role="tablist" aria-label="Shells" className="terminal-tablist" onKeyDown={onTabKey}>
            {tabs.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                aria-selected={t.id === activeId}
                aria-controls={`panel-${t.id}`}
                tabIndex={t.id === activeId ? 0 : -1}
                onClick={() => setActiveId(t.id)}
                onKeyDown={(e) => {
                  if ((e.key === 'Delete' || e.key === 'Backspace') && tabs.length > 1) closeTab(t.id);
                }}
                title={tabs.length > 1 ? `${t.label} (Delete closes it)` : t.label}
                className={t.id === activeId ? 'terminal-tab active' : 'terminal-tab'}
              >
                <StateDot state={states[t.id]} />
                {t.label}
                {tabs.length > 1 ? (
                  // Not a nested button: a click target for the mouse; keyboard users press Delete on the tab.
                  <span
                    className="terminal-tab-close"
                    aria-hidden="true"
                    onClick={(e) => {
                      e.stopPropagation();
                      closeTab(t.id);
                    }}
                  >
                    <CrossIcon width={11} height={11} />
                  </span>
                ) : null}
              </button>
            ))}
          </div>
          <button
            type="button"
            className="icon-btn"
            onClick={addTab}
            disabled={tabs.length >= MAX_TABS}
            aria-label="New shell"
            title="New shell"
          >
            <PlusIcon />
          </button>
        </div>
        <div className="terminal-tools">
          <ConnectionLabel state={state} />
          {searching ? (
            <input
              className="terminal-search"
              autoFocus
              placeholder="Find in output"
              aria-label="Find in terminal output"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                views.current.get(activeId)?.findNext(e.target.value);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter')
                  (e.shiftKey
                    ? views.current.get(activeId)?.findPrevious
                    : views.current.get(activeId)?.findNext)?.(query);
                if (e.key === 'Escape') {
                  setSearching(false);
                  views.current.get(activeId)?.focus();
                }
              }}
            />
          ) : null}
          <button
            type="button"
            className="icon-btn"
            aria-label="Predictive echo"
            title={`Predictive echo ${predictiveEcho ? 'on' : 'off'}: typed keys appear before the shell echoes them`}
            aria-pressed={predictiveEcho}
            onClick={() => {
              savePredictiveEcho(!predictiveEcho);
              setPredictiveEcho(!predictiveEcho);
              views.current.get(activeId)?.focus();
            }}
          >
            <ZapIcon />
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label="Find in output"
            title="Find in output"
            aria-pressed={searching}
            onClick={() => setSearching(!searching)}
          >
            <SearchIcon />
          </button>
        </div>
      </div>
      <div className="terminal-body">
        {tabs.map((t) => (
          <div
            key={t.id}
            id={`panel-${t.id}`}
            role="tabpanel"
            aria-labelledby={`tab-${t.id}`}
            className="terminal-panel"
            hidden={t.id !== activeId}
          >
            <TerminalView
              ref={(h) => {
                if (h) views.current.set(t.id, h);
                else views.current.delete(t.id);
              }}
              url={wsUrl(attemptId, t.id)}
              label={t.label}
              active={t.id === activeId}
              predictiveEcho={predictiveEcho}
              onState={(s) => setState(t.id, s)}
              onCommand={onCommand}
            />
            <Overlay state={states[t.id]} />
          </div>
        ))}
      </div>
    </section>
  );
}

/** A lightning bolt, in the line style of components/icons. */
function ZapIcon() {
  return (
    <svg
      width={16}
      height={16}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d="M9 1.8 3.5 9h4l-.5 5.2L12.5 7h-4Z" />
    </svg>
  );
}

function StateDot({ state }: { state: SessionState | undefined }) {
  const kind = state?.kind ?? 'connecting';
  return <span className={`state-dot state-dot-${kind}`} aria-hidden="true" />;
}

function ConnectionLabel({ state }: { state: SessionState }) {
  const text =
    state.kind === 'attached'
      ? state.readOnly
        ? 'Read-only'
        : 'Connected'
      : state.kind === 'replaying'
        ? 'Restoring output…'
        : state.kind === 'reconnecting'
          ? 'Reconnecting…'
          : state.kind === 'exited'
            ? 'Shell ended'
            : state.kind === 'failed'
              ? 'Unavailable'
              : 'Connecting…';
  return (
    <span
      className={`connection-label connection-${state.kind}`}
      role="status"
      aria-live="polite"
      data-testid="terminal-state"
    >
      {text}
    </span>
  );
}

function Overlay({ state }: { state: SessionState | undefined }) {
  if (!state || state.kind === 'attached' || state.kind === 'replaying') return null;
  if (state.kind === 'connecting') return null;
  const title =
    state.kind === 'reconnecting'
      ? 'Reconnecting…'
      : state.kind === 'exited'
        ? `The shell ended${state.exitCode != null ? ` (exit ${state.exitCode})` : ''}`
        : 'This terminal is unavailable';
  const body =
    state.kind === 'reconnecting'
      ? `The connection dropped. Your shell keeps running; retrying${state.tries > 1 ? ` (attempt ${state.tries})` : ''}…`
      : state.kind === 'exited'
        ? 'Open a new shell with the + button above.'
        : state.message;
  return (
    <div className={`terminal-overlay terminal-overlay-${state.kind}`} role="status">
      {state.kind === 'reconnecting' ? <span className="spinner" aria-hidden="true" /> : null}
      <p className="terminal-overlay-title">{title}</p>
      <p className="terminal-overlay-body">{body}</p>
    </div>
  );
}
