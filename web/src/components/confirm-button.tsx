import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

interface ConfirmButtonProps {
  label: ReactNode;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  className?: string;
  danger?: boolean;
  disabled?: boolean;
}

/** A button that asks first, in a native modal <dialog> (focus trap and Esc come with it). */
export function ConfirmButton({
  label,
  title,
  body,
  confirmLabel,
  onConfirm,
  className,
  danger,
  disabled,
}: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const titleId = useId();
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  return (
    <>
      <button type="button" className={className ?? 'btn'} onClick={() => setOpen(true)} disabled={disabled}>
        {label}
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby={titleId} onClose={() => setOpen(false)}>
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        <div className="dialog-body">{body}</div>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => setOpen(false)} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'btn btn-danger' : 'btn btn-primary'}
            onClick={() => {
              setOpen(false);
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
