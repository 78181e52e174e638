import { describe, expect, it } from 'vitest';
import { translateSql } from './sql-translate';

describe('translateSql', () => {
  it('MySQL view SQL to PostgreSQL: backticks, introducers, CONCAT, current_timestamp()', () => {
    const r = translateSql(
      "select `items`.`id` AS `id`,concat(`items`.`name`,_utf8mb4'#',`items`.`id`) AS `label` from `items` where `items`.`status` = 'it''s'",
      'mysql',
      'postgres',
    );
    expect(r).toEqual({
      ok: true,
      sql: `SELECT "items"."id" AS "id", ("items"."name" || '#' || "items"."id") AS "label" FROM "items" WHERE "items"."status" = 'it''s'`,
    });
    expect(translateSql('current_timestamp()', 'mysql', 'postgres')).toEqual({ ok: true, sql: 'CURRENT_TIMESTAMP' });
    expect(translateSql("'a\\'b'", 'mysql', 'postgres')).toEqual({ ok: true, sql: "'a''b'" });
  });

  it('PostgreSQL SQL to MySQL: literal casts dropped, ANY(ARRAY) as IN, ~~ as LIKE, domain VALUE as the column', () => {
    expect(translateSql("SELECT items.id, items.name FROM items WHERE items.price < (10)::numeric AND items.name ~~ 'a%'::text", 'postgres', 'mysql')).toEqual({
      ok: true,
      sql: "SELECT `items`.`id`, `items`.`name` FROM `items` WHERE `items`.`price` < (10) AND `items`.`name` LIKE 'a%'",
    });
    expect(translateSql("(mood = ANY (ARRAY['a'::text, 'b'::text]))", 'postgres', 'mysql')).toEqual({ ok: true, sql: "(`mood` IN ('a', 'b'))" });
    expect(translateSql('(VALUE > 0)', 'postgres', 'mysql', 'qty')).toEqual({ ok: true, sql: '(`qty` > 0)' });
    expect(translateSql("'back\\slash'::text", 'postgres', 'mysql')).toEqual({ ok: true, sql: "'back\\\\slash'" });
  });

  it('refuses what does not mean the same on the other side, naming it', () => {
    const no = (sql: string, from: 'mysql' | 'postgres') => {
      const r = translateSql(sql, from, from === 'mysql' ? 'postgres' : 'mysql');
      return r.ok ? null : r.reason;
    };
    expect(no('select if(`qty` > 0,1,0) AS `x` from `t`', 'mysql')).toMatch(/function if\(\)/);
    expect(no('SELECT (name)::character varying(10) AS short FROM items', 'postgres')).toMatch(/cast to character varying/);
    expect(no('`a` / `b`', 'mysql')).toMatch(/operator \//);
    expect(no("a || 'x'", 'postgres')).toMatch(/\|\| operator/);
    expect(no('SELECT a FROM t LIMIT 1 OFFSET 2', 'postgres')).toMatch(/keyword OFFSET/);
  });
});
