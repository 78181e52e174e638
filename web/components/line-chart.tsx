'use client';

import { useEffect, useId, useRef, useState } from 'react';

export interface Point {
  t: number;
  v: number;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const n = v / p;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
}

function clock(t: number): string {
  return new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * A dependency-free time-series chart as inline SVG. It scales to its container
 * (viewBox), and carries a text summary for screen readers.
 */
export function LineChart({
  points,
  label,
  color = 'var(--accent)',
  format = (v: number) => String(Math.round(v)),
  height = 160,
}: {
  points: Point[];
  label: string;
  color?: string;
  format?: (v: number) => string;
  height?: number;
}) {
  const gradId = useId().replace(/:/g, '');
  // The viewBox follows the rendered width, so axis text stays at its CSS size on any screen.
  const box = useRef<HTMLElement>(null);
  const [W, setW] = useState(600);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const w = Math.round(entries[0]?.contentRect.width ?? 0);
      if (w > 100) setW(w);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const H = height;
  const pad = { l: 52, r: 12, t: 10, b: 22 };
  const iw = W - pad.l - pad.r;
  const ih = H - pad.t - pad.b;
  const last = points[points.length - 1];
  const summary = last ? `${label}: latest ${format(last.v)}, ${points.length} samples` : `${label}: no data yet`;
  if (points.length < 2) {
    return (
      <figure style={{ margin: 0 }} ref={box}>
        <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
          <rect x={pad.l} y={pad.t} width={iw} height={ih} fill="var(--surface-2)" rx="4" />
          <text x={W / 2} y={H / 2} textAnchor="middle" fill="var(--text-3)" fontSize="12">
            {points.length === 0 ? 'Waiting for samples…' : `${format(points[0]!.v)} — collecting more samples…`}
          </text>
        </svg>
      </figure>
    );
  }
  const t0 = points[0]!.t;
  const t1 = Math.max(last!.t, t0 + 1);
  const vmax = niceMax(Math.max(...points.map((p) => p.v)));
  const x = (t: number) => pad.l + ((t - t0) / (t1 - t0)) * iw;
  const y = (v: number) => pad.t + ih - (v / vmax) * ih;
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const area = `${d} L${x(last!.t).toFixed(1)},${pad.t + ih} L${pad.l},${pad.t + ih} Z`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * vmax);
  return (
    <figure style={{ margin: 0 }} ref={box}>
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <defs>
          <linearGradient id={gradId} x1="0" x2="0" y1="0" y2="1">
            <stop offset="0%" stopColor={color} stopOpacity="0.25" />
            <stop offset="100%" stopColor={color} stopOpacity="0.02" />
          </linearGradient>
        </defs>
        <g className="grid">
          {ticks.map((v) => (
            <line key={v} x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} />
          ))}
        </g>
        <g className="axis">
          {ticks.map((v) => (
            <text key={v} x={pad.l - 6} y={y(v) + 3} textAnchor="end">
              {format(v)}
            </text>
          ))}
          <text x={pad.l} y={H - 6}>
            {clock(t0)}
          </text>
          <text x={W - pad.r} y={H - 6} textAnchor="end">
            {clock(t1)}
          </text>
        </g>
        <path d={area} fill={`url(#${gradId})`} />
        <path className="line" d={d} stroke={color} />
        <circle cx={x(last!.t)} cy={y(last!.v)} r="3.5" fill={color} />
      </svg>
    </figure>
  );
}
