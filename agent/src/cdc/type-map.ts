/**
 * Column type translation for columns added while streaming (ADD COLUMN).
 * Mirrors the full-load mapping table (MySQL <-> PG); same engine = same type.
 */
export type Engine = 'mysql' | 'postgres';

export function translateType(type: string, from: Engine, to: Engine): string {
  const t = type.trim().toLowerCase();
  if (from === to) return type;
  return from === 'mysql' ? mysqlToPg(t) : pgToMysql(t);
}

function mysqlToPg(t: string): string {
  const unsigned = /\bunsigned\b/.test(t);
  const base = t.replace(/\b(unsigned|signed|zerofill)\b/g, '').trim();
  let m: RegExpExecArray | null;
  if (/^tinyint\(1\)/.test(base)) return 'smallint';
  if (/^(tinyint|smallint)/.test(base)) return unsigned && base.startsWith('smallint') ? 'integer' : 'smallint';
  if (/^mediumint/.test(base)) return 'integer';
  if (/^int|^integer/.test(base)) return unsigned ? 'bigint' : 'integer';
  if (/^bigint/.test(base)) return unsigned ? 'numeric(20)' : 'bigint';
  if ((m = /^(?:decimal|numeric|dec)\s*\((\d+)\s*(?:,\s*(\d+))?\)/.exec(base))) return `numeric(${m[1]},${m[2] ?? 0})`;
  if (/^(decimal|numeric|dec)\b/.test(base)) return 'numeric(10,0)';
  if (/^float/.test(base)) return 'real';
  if (/^(double|real)/.test(base)) return 'double precision';
  if ((m = /^varchar\((\d+)\)/.exec(base))) return `varchar(${m[1]})`;
  if ((m = /^char\((\d+)\)/.exec(base))) return `varchar(${m[1]})`;
  if (/^(tiny|medium|long)?text/.test(base)) return 'text';
  if (/^(tiny|medium|long)?blob|^(var)?binary/.test(base)) return 'bytea';
  if (/^datetime\((\d)\)/.test(base)) return `timestamp(${/\((\d)\)/.exec(base)![1]})`;
  if (/^datetime/.test(base)) return 'timestamp(0)';
  if (/^timestamp\((\d)\)/.test(base)) return `timestamptz(${/\((\d)\)/.exec(base)![1]})`;
  if (/^timestamp/.test(base)) return 'timestamptz(0)';
  if (/^date/.test(base)) return 'date';
  if (/^time/.test(base)) return 'time';
  if (/^year/.test(base)) return 'smallint';
  if (/^json/.test(base)) return 'jsonb';
  if (/^uuid/.test(base)) return 'uuid';
  if (/^bool/.test(base)) return 'boolean';
  return 'text';
}

function pgToMysql(t: string): string {
  let m: RegExpExecArray | null;
  if (/^smallint|^int2/.test(t)) return 'smallint';
  if (/^integer|^int4|^int\b/.test(t)) return 'int';
  if (/^bigint|^int8/.test(t)) return 'bigint';
  if ((m = /^numeric\((\d+)(?:,(\d+))?\)/.exec(t))) return `decimal(${Math.min(65, Number(m[1]))},${Math.min(30, Number(m[2] ?? 0))})`;
  if (/^numeric/.test(t)) return 'decimal(65,30)';
  if (/^real|^float4/.test(t)) return 'float';
  if (/^double precision|^float8/.test(t)) return 'double';
  if (/^boolean|^bool/.test(t)) return 'tinyint(1)';
  if ((m = /^character varying\((\d+)\)|^varchar\((\d+)\)/.exec(t))) return `varchar(${m[1] ?? m[2]})`;
  if ((m = /^character\((\d+)\)|^char\((\d+)\)/.exec(t))) return `char(${m[1] ?? m[2]})`;
  if (/^text|^character varying|^varchar/.test(t)) return 'longtext';
  if (/^bytea/.test(t)) return 'longblob';
  if (/^timestamp\((\d)\)/.test(t)) return `datetime(${/\((\d)\)/.exec(t)![1]})`;
  if (/^timestamp/.test(t)) return 'datetime(6)';
  if (/^date/.test(t)) return 'date';
  if (/^time/.test(t)) return 'time(6)';
  if (/^jsonb?/.test(t)) return 'json';
  if (/^uuid/.test(t)) return 'char(36)';
  return 'longtext';
}
