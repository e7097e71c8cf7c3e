import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
} from 'react';

interface SplitPaneProps {
  /** 'row': side by side with a vertical divider; 'column': stacked with a horizontal one. */
  direction: 'row' | 'column';
  /** Share of the first pane, 0..1, remembered under this key. */
  storageKey: string;
  initial: number;
  min?: number;
  max?: number;
  label: string;
  first: ReactNode;
  second: ReactNode;
  className?: string;
}

const read = (key: string, fallback: number) => {
  try {
    const v = Number(localStorage.getItem(key));
    return v > 0 && v < 1 ? v : fallback;
  } catch {
    return fallback;
  }
};

/** Two panes and a draggable divider (mouse, touch, and arrow keys: it is a WAI-ARIA window splitter). */
export function SplitPane({
  direction,
  storageKey,
  initial,
  min = 0.2,
  max = 0.8,
  label,
  first,
  second,
  className,
}: SplitPaneProps) {
  const [ratio, setRatio] = useState(() => read(storageKey, initial));
  const box = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const clamp = useCallback((v: number) => Math.min(max, Math.max(min, v)), [min, max]);

  useEffect(() => {
    try {
      localStorage.setItem(storageKey, String(ratio));
    } catch {
      /* not remembered */
    }
  }, [storageKey, ratio]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
    document.body.classList.add(direction === 'row' ? 'resizing-col' : 'resizing-row');
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging.current || !box.current) return;
    const r = box.current.getBoundingClientRect();
    setRatio(clamp(direction === 'row' ? (e.clientX - r.left) / r.width : (e.clientY - r.top) / r.height));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = false;
    e.currentTarget.releasePointerCapture(e.pointerId);
    document.body.classList.remove('resizing-col', 'resizing-row');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const back = direction === 'row' ? 'ArrowLeft' : 'ArrowUp';
    const fwd = direction === 'row' ? 'ArrowRight' : 'ArrowDown';
    const step = e.shiftKey ? 0.1 : 0.02;
    if (e.key === back) setRatio((v) => clamp(v - step));
    else if (e.key === fwd) setRatio((v) => clamp(v + step));
    else if (e.key === 'Home') setRatio(min);
    else if (e.key === 'End') setRatio(max);
    else return;
    e.preventDefault();
  };

  const pct = `${(ratio * 100).toFixed(2)}%`;
  return (
    <div ref={box} className={`split split-${direction} ${className ?? ''}`}>
      <div className="split-pane" style={{ flexBasis: pct }}>
        {first}
      </div>
      <div
        className="split-divider"
        role="separator"
        aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'}
        aria-label={label}
        aria-valuenow={Math.round(ratio * 100)}
        aria-valuemin={Math.round(min * 100)}
        aria-valuemax={Math.round(max * 100)}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onKeyDown={onKeyDown}
      />
      <div className="split-pane split-pane-rest">{second}</div>
    </div>
  );
}
