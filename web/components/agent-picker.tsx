'use client';

import { useId } from 'react';
import { useQuery } from '../lib/hooks';
import { AGENTS } from '../lib/ops/agents';

/** Choose which online agent runs a check; empty means "let Sluice pick". */
export function AgentPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const id = useId();
  const q = useQuery(AGENTS, {});
  const online = (q.data?.agents ?? []).filter((a) => a.online && !a.revokedAt);
  return (
    <div className="field" style={{ minWidth: 200 }}>
      <label htmlFor={id}>Through agent</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{q.loading ? 'Loading agents…' : online.length === 0 ? 'No agent online' : 'Any online agent'}</option>
        {online.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
    </div>
  );
}
