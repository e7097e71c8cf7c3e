import { useSyncExternalStore } from 'react';

/** The learner's choice: follow the system, or force light/dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'netlab.theme';
const listeners = new Set<() => void>();
const media = typeof window !== 'undefined' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

function readChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

let choice: ThemeChoice = readChoice();
media?.addEventListener('change', () => listeners.forEach((l) => l()));

export function setThemeChoice(next: ThemeChoice): void {
  choice = next;
  try {
    if (next === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, next);
  } catch {
    /* storage disabled: the choice lasts for this page */
  }
  if (next === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = next;
  listeners.forEach((l) => l());
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** The choice and the theme in effect (what the terminal and the diagrams must match). */
export function useTheme(): { choice: ThemeChoice; effective: 'light' | 'dark' } {
  const c = useSyncExternalStore(subscribe, () => choice);
  const systemDark = useSyncExternalStore(subscribe, () => media?.matches ?? false);
  return { choice: c, effective: c === 'system' ? (systemDark ? 'dark' : 'light') : c };
}
