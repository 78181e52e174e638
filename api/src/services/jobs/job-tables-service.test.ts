import { jobSpecSchema } from '@sluice/agent/protocol';
import { describe, expect, it } from 'vitest';
import { selectionWith, selectionWithout } from './job-tables-service';

const spec = (include: string[], exclude: string[] = []) => jobSpecSchema.parse({ mode: 'cdc', tables: { include, exclude } });

describe('job table selection edits', () => {
  it('adding a table includes it once and lifts an exclusion of it', () => {
    expect(selectionWith(spec(['items']), ['extra'])).toEqual({ include: ['items', 'extra'], exclude: [] });
    expect(selectionWith(spec(['items', 'extra']), ['public.extra'])).toEqual({ include: ['items', 'extra'], exclude: [] });
    expect(selectionWith(spec(['*'], ['public.extra', 'logs']), ['public.extra'])).toEqual({ include: ['*'], exclude: ['logs'] });
  });

  it('removing a table drops its exact entries and excludes it (a pattern keeps matching the others)', () => {
    expect(selectionWithout(spec(['items', 'extra']), 'public.extra')).toEqual({ include: ['items'], exclude: ['public.extra'] });
    expect(selectionWithout(spec(['*']), 'public.extra')).toEqual({ include: ['*'], exclude: ['public.extra'] });
    expect(selectionWithout(spec(['extra']), 'public.extra')).toEqual({ include: ['extra'], exclude: ['public.extra'] });
  });
});
