'use client';

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type CSSProperties,
  type ReactElement,
  type ReactNode,
} from 'react';
import { cloneElement, isValidElement } from 'react';
import Link from 'next/link';
import { describeError, GqlError } from '../lib/gql';
import type { MutationState } from '../lib/hooks';

type Variant = 'primary' | 'secondary' | 'danger' | 'danger-solid' | 'ghost';

export function Button({
  variant = 'secondary',
  size,
  loading,
  block,
  className,
  children,
  disabled,
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: 'sm'; loading?: boolean; block?: boolean }) {
  const cls = ['btn', variant !== 'secondary' ? `btn-${variant}` : '', size ? `btn-${size}` : '', block ? 'btn-block' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <button type={type} className={cls} disabled={disabled || loading} aria-busy={loading || undefined} {...rest}>
      {loading ? <span className="spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

/** A labelled form field: wires id, aria-describedby and aria-invalid onto its single child control. */
export function Field({
  label,
  hint,
  error,
  required,
  children,
  className,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  children: ReactElement<Record<string, unknown>>;
  className?: string;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children)
    ? cloneElement(children, {
        id: (children.props['id'] as string | undefined) ?? id,
        'aria-describedby': describedBy,
        'aria-invalid': error ? true : undefined,
        required: required || (children.props['required'] as boolean | undefined),
      })
    : children;
  const controlId = (children.props['id'] as string | undefined) ?? id;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={controlId}>
        {label}
        {required ? (
          <span className="req" aria-hidden="true">
            *
          </span>
        ) : null}
      </label>
      {control}
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={errId}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function ErrorAlert({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  if (!error) return null;
  const code = error instanceof GqlError ? error.code : undefined;
  const heading =
    title ??
    (code === 'FORBIDDEN'
      ? 'Not allowed'
      : code === 'NOT_FOUND'
        ? 'Not found'
        : code === 'BAD_USER_INPUT'
          ? 'Please check your input'
          : code === 'CONFLICT'
            ? 'Not possible right now'
            : code === 'NETWORK'
              ? 'Connection problem'
              : code === 'UNAUTHENTICATED'
                ? 'Signed out'
                : 'Something went wrong');
  return (
    <div className="alert alert-error" role="alert" data-code={code}>
      <div style={{ flex: 1 }}>
        <div className="alert-title">{heading}</div>
        <div>{describeError(error)}</div>
      </div>
      {onRetry ? (
        <Button size="sm" onClick={onRetry}>
          Retry
        </Button>
      ) : null}
    </div>
  );
}

export function Alert({ tone, title, children }: { tone: 'ok' | 'warn' | 'info' | 'error'; title?: ReactNode; children?: ReactNode }) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div>
        {title ? <div className="alert-title">{title}</div> : null}
        {children}
      </div>
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function Empty({ title, children, action, icon }: { title: string; children?: ReactNode; action?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="state">
      <span className="state-icon" aria-hidden="true">
        {icon ?? (
          <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
            <rect x="3" y="4" width="18" height="16" rx="2" />
            <path d="M3 10h18" />
          </svg>
        )}
      </span>
      <div className="state-title">{title}</div>
      {children ? <div className="muted">{children}</div> : null}
      {action}
    </div>
  );
}

/** Renders loading / error / children, the standard trio for a query. */
export function QueryView<T>({
  state,
  children,
  loadingLabel,
}: {
  state: { data: T | undefined; error: unknown; loading: boolean; refetch: () => Promise<void> };
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) {
  if (state.data === undefined && state.loading) return <Loading label={loadingLabel} />;
  if (state.data === undefined && state.error)
    return (
      <div className="card-body">
        <ErrorAlert error={state.error} onRetry={() => void state.refetch()} />
      </div>
    );
  if (state.data === undefined) return <Loading label={loadingLabel} />;
  return <>{children(state.data)}</>;
}

export function PageHeader({
  title,
  description,
  actions,
  breadcrumb,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  breadcrumb?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div>
        {breadcrumb ? <div className="breadcrumb">{breadcrumb}</div> : null}
        <h1>{title}</h1>
        {description ? <p>{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}

/** One figure in a `grid-4` row of stat cards; with `href` the whole card is a link. Extra content (a progress bar) goes in `children`. */
export function StatCard({
  label,
  value,
  sub,
  href,
  valueStyle,
  valueTestId,
  children,
}: {
  label: ReactNode;
  value: ReactNode;
  sub?: ReactNode;
  href?: string;
  valueStyle?: CSSProperties;
  valueTestId?: string;
  children?: ReactNode;
}) {
  const body = (
    <>
      <div className="stat-label">{label}</div>
      <div className="stat-value" style={valueStyle} data-testid={valueTestId}>
        {value}
      </div>
      {sub !== undefined ? <div className="stat-sub">{sub}</div> : null}
      {children}
    </>
  );
  return href ? (
    <Link href={href} className="card stat" style={{ color: 'inherit' }}>
      {body}
    </Link>
  ) : (
    <div className="card stat">{body}</div>
  );
}

/**
 * The portal's list table (`table stacked` in a `table-wrap`): one header cell a column, plus an unlabelled actions
 * column when `actions` is set. `children` are the body rows.
 */
export function DataTable({ columns, actions, compact, children }: { columns: string[]; actions?: boolean; compact?: boolean; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className={compact ? 'table stacked compact' : 'table stacked'}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
            {actions ? (
              <th>
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export type Tone = 'ok' | 'warn' | 'danger' | 'info' | 'accent' | 'neutral';

export function Badge({ tone = 'neutral', children, dot }: { tone?: Tone; children: ReactNode; dot?: boolean }) {
  return (
    <span className={`badge ${tone !== 'neutral' ? `badge-${tone}` : ''}`}>
      {dot ? <span className="dot" aria-hidden="true" /> : null}
      {children}
    </span>
  );
}

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

export function CopyBox({ value, label, wrap }: { value: string; label: string; wrap?: boolean }) {
  const [copied, setCopied] = useState(false);
  const copy = useCallback(async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard API unavailable (http origin): fall back to a selection copy.
      const ta = document.createElement('textarea');
      ta.value = value;
      document.body.appendChild(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1800);
  }, [value]);
  return (
    <div className={`codebox ${wrap ? 'wrap' : ''}`}>
      <code aria-label={label} tabIndex={0} data-testid={`copy-${label.toLowerCase().replace(/\W+/g, '-')}`}>
        {value}
      </code>
      <button type="button" className="btn btn-sm" onClick={() => void copy()} aria-label={`Copy ${label}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
      <span className="sr-only" aria-live="polite">
        {copied ? `${label} copied to clipboard` : ''}
      </span>
    </div>
  );
}

export function ProgressBar({ value, label, tone }: { value: number; label: string; tone?: 'ok' | 'danger' }) {
  const pct = Math.max(0, Math.min(100, Number.isFinite(value) ? value : 0));
  return (
    <div className={`progress ${tone ?? ''}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
      <span style={{ width: `${pct}%` }} />
    </div>
  );
}

/* ---------- toasts ---------- */

interface ToastItem {
  id: number;
  text: string;
  error?: boolean;
}
const ToastContext = createContext<(text: string, error?: boolean) => void>(() => undefined);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const push = useCallback((text: string, error?: boolean) => {
    const id = Date.now() + Math.random();
    setItems((xs) => [...xs, { id, text, error }]);
    setTimeout(() => setItems((xs) => xs.filter((x) => x.id !== id)), 4000);
  }, []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div className="toast-region" role="status" aria-live="polite">
        {items.map((t) => (
          <div key={t.id} className={`toast ${t.error ? 'error' : ''}`}>
            {t.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): (text: string, error?: boolean) => void {
  return useContext(ToastContext);
}
