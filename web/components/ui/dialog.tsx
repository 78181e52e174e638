'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { MutationState } from '../../lib/hooks';
import { ErrorAlert } from './alerts';
import { Button } from './button';

/** A modal built on <dialog>: focus is trapped by the browser, Esc closes it. */
export function Dialog({
  open,
  onClose,
  title,
  children,
  footer,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <>
          <div className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close dialog">
              ✕
            </Button>
          </div>
          <div className="dialog-body">{children}</div>
          {footer ? <div className="dialog-foot">{footer}</div> : null}
        </>
      ) : null}
    </dialog>
  );
}

export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  onConfirm,
  onClose,
  danger = true,
  loading,
  error,
}: {
  open: boolean;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  danger?: boolean;
  loading?: boolean;
  error?: unknown;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant={danger ? 'danger-solid' : 'primary'} onClick={onConfirm} loading={loading}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div>{body}</div>
      <ErrorAlert error={error} />
    </Dialog>
  );
}

/**
 * A ConfirmDialog for one mutation: shows its loading state and error, clears the error on close, and keeps the dialog
 * open (with the error shown) when `onConfirm` throws.
 */
export function MutationConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  state,
  onDismiss,
  onConfirm,
}: {
  open: boolean;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  state: MutationState;
  /** Closes the dialog (the mutation's error is reset as well). */
  onDismiss: () => void;
  onConfirm: () => Promise<void>;
}) {
  return (
    <ConfirmDialog
      open={open}
      title={title}
      body={body}
      confirmLabel={confirmLabel}
      loading={state.loading}
      error={state.error}
      onClose={() => {
        onDismiss();
        state.reset();
      }}
      onConfirm={async () => {
        try {
          await onConfirm();
        } catch {
          /* shown in the dialog */
        }
      }}
    />
  );
}
