/**
 * Translates simple SQL (a view's SELECT, a CHECK, a generated column's expression)
 * between the two SQL dialects, or says why it cannot. Deliberately narrow: only
 * keywords, operators and functions that mean the same in both dialects pass; anything
 * else (casts to other types, dialect functions, division, string concatenation
 * operators) is refused with the token that stopped it, so the plan lists the object as
 * not carried instead of creating something that behaves differently.
 */
import type { Engine } from '../../connectors/catalog';

export type Translation = { ok: true; sql: string } | { ok: false; reason: string };

type Tok =
  | { t: 'id'; v: string }
  | { t: 'kw'; v: string }
  | { t: 'fn'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: string }
  | { t: 'op'; v: string }
  | { t: 'cast'; v: string };

const KEYWORDS = new Set(
  (
    'SELECT FROM WHERE AS AND OR NOT IS NULL IN BETWEEN LIKE JOIN INNER LEFT RIGHT OUTER CROSS ON GROUP BY ORDER ASC DESC HAVING ' +
    'DISTINCT CASE WHEN THEN ELSE END TRUE FALSE UNION ALL CURRENT_TIMESTAMP CURRENT_DATE LIMIT'
  ).split(' '),
);
/** Functions with the same name, arguments and result in both dialects. */
const FUNCTIONS = new Set(['lower', 'upper', 'coalesce', 'abs', 'nullif', 'char_length', 'count', 'sum', 'min', 'max', 'now']);
/** PG casts that change nothing on the other side: literals typed as text. */
const TEXT_TYPES = /^(text|character varying|varchar|bpchar|character|name)$/;
const NUMERIC_TYPES = /^(integer|bigint|smallint|numeric)$/;

class Refused extends Error {}

function tokenize(sql: string, from: Engine, domain: boolean): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || (from === 'mysql' && c === '"')) {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= n) throw new Refused('an unterminated string');
        const d = sql[j]!;
        if (from === 'mysql' && d === '\\') {
          const e = sql[j + 1] ?? '';
          v += ({ n: '\n', t: '\t', r: '\r', 0: '\0' } as Record<string, string>)[e] ?? e;
          j += 2;
        } else if (d === c && sql[j + 1] === c) {
          v += c;
          j += 2;
        } else if (d === c) break;
        else {
          v += d;
          j++;
        }
      }
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    if ((from === 'mysql' && c === '`') || (from === 'postgres' && c === '"')) {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= n) throw new Refused('an unterminated identifier');
        if (sql[j] === c && sql[j + 1] === c) {
          v += c;
          j += 2;
        } else if (sql[j] === c) break;
        else v += sql[j++];
      }
      out.push({ t: 'id', v });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(sql.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i));
    if (word) {
      const w = word[0];
      i += w.length;
      // MySQL charset introducers: _utf8mb4'x'
      if (from === 'mysql' && w.startsWith('_') && sql[i] === "'") continue;
      const next = /^\s*\(/.test(sql.slice(i));
      if (domain && /^value$/i.test(w) && !next) {
        out.push({ t: 'id', v: 'value' });
        continue;
      }
      if (next && FUNCTIONS.has(w.toLowerCase())) out.push({ t: 'fn', v: w.toLowerCase() });
      else if (next && from === 'mysql' && w.toLowerCase() === 'concat') out.push({ t: 'fn', v: 'concat' });
      else if (/^(current_timestamp|current_date)$/i.test(w)) out.push(next ? { t: 'fn', v: w.toLowerCase() } : { t: 'kw', v: w.toUpperCase() });
      else if (KEYWORDS.has(w.toUpperCase()) && !/^(current_timestamp|current_date)$/i.test(w)) out.push({ t: 'kw', v: w.toUpperCase() });
      else if (from === 'postgres' && !next && /^[a-z_][a-z0-9_$]*$/.test(w) && !/^(any|array|some|interval|extract|cast|collate)$/i.test(w))
        out.push({ t: 'id', v: w });
      else if (from === 'postgres' && /^(ANY|ALL|ARRAY)$/.test(w)) out.push({ t: 'kw', v: w });
      else throw new Refused(next ? `the function ${w}()` : `the keyword ${w}`);
      continue;
    }
    const cast =
      /^::\s*(character varying|double precision|(?:timestamp|time)(?:\(\d+\))? with(?:out)? time zone|bit varying|"(?:[^"]|"")+"|[A-Za-z_][\w.]*)(\s*\([\d,\s]+\))?(\[\])*/.exec(
        sql.slice(i),
      );
    if (from === 'postgres' && cast) {
      out.push({ t: 'cast', v: cast[0].slice(2).trim() });
      i += cast[0].length;
      continue;
    }
    const op = /^(<>|!=|<=|>=|!~~|~~|\|\||[=<>+\-*(),.[\]])/.exec(sql.slice(i));
    if (!op) throw new Refused(`the operator ${sql.slice(i, i + 2).trim()}`);
    i += op[0].length;
    if (op[0] === '||') throw new Refused('the || operator (string concatenation in one dialect, OR in the other)');
    out.push({ t: 'op', v: op[0] });
  }
  return out;
}

/** Drops PG casts that are identities on the other side; refuses any other. */
function dropCasts(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const k = toks[i]!;
    if (k.t === 'cast') {
      const type = k.v.toLowerCase();
      // PostgreSQL prints (10)::numeric: the literal inside parentheses
      const paren = out[out.length - 1]?.v === ')' && out[out.length - 3]?.v === '(' && ['num', 'str'].includes(out[out.length - 2]?.t ?? '');
      const prev = paren ? out[out.length - 2] : out[out.length - 1];
      const literalText = prev?.t === 'str' && TEXT_TYPES.test(type);
      const literalNum = prev?.t === 'num' && NUMERIC_TYPES.test(type);
      if (!literalText && !literalNum) throw new Refused(`a cast to ${type}`);
      continue;
    }
    out.push(k);
  }
  return out;
}

/** `x = ANY (ARRAY[a, b])` (how PostgreSQL prints IN lists) -> `x IN (a, b)`; `<> ALL` -> `NOT IN`. */
function anyArrayToIn(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const k = toks[i]!;
    const q = toks[i + 1];
    const isAny = k.t === 'op' && (k.v === '=' || k.v === '<>') && q?.t === 'kw' && q.v === (k.v === '=' ? 'ANY' : 'ALL');
    if (isAny && toks[i + 2]?.v === '(' && toks[i + 3]?.v === 'ARRAY' && toks[i + 4]?.v === '[') {
      let j = i + 5;
      const inner: Tok[] = [];
      while (j < toks.length && toks[j]!.v !== ']') inner.push(toks[j++]!);
      if (toks[j + 1]?.v !== ')') throw new Refused('an ANY(ARRAY[...]) form');
      out.push(...(k.v === '=' ? [] : [{ t: 'kw' as const, v: 'NOT' }]), { t: 'kw', v: 'IN' }, { t: 'op', v: '(' }, ...inner, { t: 'op', v: ')' });
      i = j + 1;
      continue;
    }
    if (k.t === 'kw' && /^(ANY|ALL|ARRAY)$/.test(k.v) && !(k.v === 'ALL' && out[out.length - 1]?.v === 'UNION')) throw new Refused(`the keyword ${k.v}`);
    if (k.t === 'op' && (k.v === '[' || k.v === ']')) throw new Refused('an array subscript');
    if (k.t === 'op' && (k.v === '~~' || k.v === '!~~')) {
      out.push(...(k.v === '!~~' ? [{ t: 'kw' as const, v: 'NOT' }] : []), { t: 'kw', v: 'LIKE' });
      continue;
    }
    out.push(k);
  }
  return out;
}

function quoteId(v: string, to: Engine): string {
  return to === 'mysql' ? `\`${v.replace(/`/g, '``')}\`` : `"${v.replace(/"/g, '""')}"`;
}

function quoteStr(v: string, to: Engine): string {
  const s = v.replace(/'/g, "''");
  return `'${to === 'mysql' ? s.replace(/\\/g, '\\\\') : s}'`;
}

function render(toks: Tok[], to: Engine, valueAs?: string): string {
  const parts: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const k = toks[i]!;
    if (k.t === 'fn' && k.v === 'concat') {
      // MySQL CONCAT(a, b, ...) is NULL when any argument is: PostgreSQL's || does the same.
      let depth = 0;
      let j = i + 2;
      const args: Tok[][] = [[]];
      for (; j < toks.length; j++) {
        const x = toks[j]!;
        if (x.v === '(' && x.t === 'op') depth++;
        if (x.v === ')' && x.t === 'op') {
          if (depth === 0) break;
          depth--;
        }
        if (x.v === ',' && x.t === 'op' && depth === 0) args.push([]);
        else args[args.length - 1]!.push(x);
      }
      parts.push(`(${args.map((a) => render(a, to, valueAs)).join(' || ')})`);
      i = j;
      continue;
    }
    if (k.t === 'fn' && (k.v === 'current_timestamp' || k.v === 'current_date')) {
      // MySQL current_timestamp() -> CURRENT_TIMESTAMP (no parentheses in PostgreSQL)
      parts.push(k.v.toUpperCase());
      if (toks[i + 1]?.v === '(' && toks[i + 2]?.v === ')') i += 2;
      continue;
    }
    if (k.t === 'id') parts.push(valueAs !== undefined && k.v === 'value' ? quoteId(valueAs, to) : quoteId(k.v, to));
    else if (k.t === 'kw') parts.push(k.v);
    else if (k.t === 'fn') parts.push(k.v);
    else if (k.t === 'str') parts.push(quoteStr(k.v, to));
    else parts.push(k.v);
  }
  return parts
    .join(' ')
    .replace(/ \. /g, '.')
    .replace(/(\w|`|"|\)) \(/g, (m, a: string) => (/[A-Z]$/.test(a) ? m : `${a}(`))
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .replace(/ ,/g, ',');
}

/**
 * Translates `sql` from one dialect to the other. `valueAs` names the column a PostgreSQL
 * domain CHECK's VALUE stands for.
 */
export function translateSql(sql: string, from: Engine, to: Engine, valueAs?: string): Translation {
  try {
    let toks = tokenize(sql, from, valueAs !== undefined);
    if (from === 'postgres') toks = anyArrayToIn(dropCasts(toks));
    for (const k of toks) if (k.t === 'cast' || (k.t === 'op' && (k.v === '[' || k.v === ']'))) throw new Refused(`the operator ${k.v}`);
    return { ok: true, sql: render(toks, to, valueAs) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: `${e.message} has no faithful translation` };
    throw e;
  }
}
