'use client';

import { useCallback, useState } from 'react';

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
