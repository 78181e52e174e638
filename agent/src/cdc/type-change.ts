/**
 * Is a column type change widening (every old value fits the new type) or narrowing? Both types are in the
 * same (target) dialect. Anything not recognised as widening is narrowing, so it goes through the stricter policy.
 */
export type TypeChange = 'same' | 'widening' | 'narrowing';

interface Shape {
  family: 'int' | 'dec' | 'float' | 'text' | 'other';
  size: number;
  scale: number;
  raw: string;
}

const INT: Record<string, number> = { tinyint: 1, smallint: 2, int2: 2, mediumint: 3, int: 4, integer: 4, int4: 4, bigint: 8, int8: 8 };
const TEXT: Record<string, number> = { tinytext: 255, text: Infinity, mediumtext: 16_777_215, longtext: Infinity };

function shape(type: string): Shape {
  const raw = type
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^character varying/, 'varchar')
    .replace(/^character\b/, 'char')
    .replace(/^double precision/, 'double');
  if (/\bunsigned\b/.test(raw)) return { family: 'other', size: 0, scale: 0, raw };
  const base = raw.replace(/\(\d+\)$/, '');
  if (base in INT && !/^tinyint\(1\)$/.test(raw)) return { family: 'int', size: INT[base]!, scale: 0, raw };
  let m: RegExpExecArray | null;
  if ((m = /^(?:numeric|decimal)\((\d+)(?:,\s*(\d+))?\)$/.exec(raw))) return { family: 'dec', size: Number(m[1]), scale: Number(m[2] ?? 0), raw };
  if (/^(numeric|decimal)$/.test(raw)) return { family: 'dec', size: 1000, scale: 1000, raw };
  if (/^(real|float|float4)$/.test(raw)) return { family: 'float', size: 4, scale: 0, raw };
  if (/^(double|float8)$/.test(raw)) return { family: 'float', size: 8, scale: 0, raw };
  if ((m = /^(?:varchar|char)\((\d+)\)$/.exec(raw))) return { family: 'text', size: Number(m[1]), scale: 0, raw };
  if (raw in TEXT || raw === 'varchar') return { family: 'text', size: TEXT[raw] ?? Infinity, scale: 0, raw };
  return { family: 'other', size: 0, scale: 0, raw };
}

export function classifyTypeChange(from: string, to: string): TypeChange {
  const a = shape(from);
  const b = shape(to);
  if (a.raw === b.raw) return 'same';
  if (a.family === 'int' && b.family === 'int') return b.size >= a.size ? 'widening' : 'narrowing';
  if (a.family === 'int' && b.family === 'dec') return b.size - b.scale >= [0, 3, 5, 8, 10, 0, 0, 0, 19][a.size]! ? 'widening' : 'narrowing';
  if (a.family === 'dec' && b.family === 'dec') return b.scale >= a.scale && b.size - b.scale >= a.size - a.scale ? 'widening' : 'narrowing';
  if (a.family === 'float' && b.family === 'float') return b.size >= a.size ? 'widening' : 'narrowing';
  if (a.family === 'text' && b.family === 'text') {
    if (b.size < a.size) return 'narrowing';
    // char(n) -> varchar(m >= n) or text keeps every value (trailing blanks aside); varchar -> char pads: narrowing.
    return a.raw.startsWith('varchar') && b.raw.startsWith('char') ? 'narrowing' : 'widening';
  }
  return 'narrowing';
}
