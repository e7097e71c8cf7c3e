/**
 * Whether the last request reached the server. The banner reads it; the API client writes it.
 * (It is not query data: it describes the link, not any one resource.)
 */
type Listener = () => void;
let reachable = true;
const listeners = new Set<Listener>();

export const connectivity = {
  get: (): boolean => reachable,
  set(value: boolean): void {
    if (value === reachable) return;
    reachable = value;
    for (const l of listeners) l();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
