/** One terminal tab: its id on the server (`[a-z0-9-]{1,32}`) and its label. */
export interface TerminalTab {
  id: string;
  label: string;
}

const key = (attemptId: string) => `netlab.terminals.${attemptId}`;
export const MAX_TABS = 6;

/** The tabs of an attempt as they were before the reload (the shells outlive the page). */
export function loadTabs(attemptId: string): TerminalTab[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(key(attemptId)) ?? 'null') as unknown;
    if (Array.isArray(parsed)) {
      const tabs = parsed.filter(
        (t): t is TerminalTab =>
          !!t && typeof t.id === 'string' && /^[a-z0-9-]{1,32}$/.test(t.id) && typeof t.label === 'string',
      );
      if (tabs.length) return tabs.slice(0, MAX_TABS);
    }
  } catch {
    /* unreadable: start fresh */
  }
  return [{ id: 't1', label: 'Shell 1' }];
}

export function saveTabs(attemptId: string, tabs: TerminalTab[]): void {
  try {
    localStorage.setItem(key(attemptId), JSON.stringify(tabs));
  } catch {
    /* storage full or disabled: the tabs last for this page */
  }
}

/** The next free id and label: t2/Shell 2, …. */
export function nextTab(tabs: TerminalTab[]): TerminalTab {
  const used = tabs.map((t) => Number(/^t(\d+)$/.exec(t.id)?.[1] ?? 0));
  const n = Math.max(0, ...used) + 1;
  return { id: `t${n}`, label: `Shell ${n}` };
}
