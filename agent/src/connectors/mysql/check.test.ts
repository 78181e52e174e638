import { describe, expect, it } from 'vitest';
import { grantsCover } from './check';

describe('grantsCover', () => {
  const grants = (...lines: string[]) => lines.join('\n').toUpperCase();
  it('accepts a privilege named on the database, on *.* or through ALL PRIVILEGES', () => {
    expect(grantsCover(grants("GRANT SELECT, INSERT ON `shop`.* TO 'u'@'%'"), 'shop', 'INSERT')).toBe(true);
    expect(grantsCover(grants("GRANT INSERT ON *.* TO 'u'@'%'"), 'shop', 'INSERT')).toBe(true);
    expect(grantsCover(grants("GRANT ALL PRIVILEGES ON `shop`.* TO 'u'@'%'"), 'shop', 'DELETE')).toBe(true);
  });
  it('refuses another database, a table-level grant, USAGE, and CREATE TEMPORARY TABLES for CREATE', () => {
    expect(grantsCover(grants("GRANT INSERT ON `other`.* TO 'u'@'%'"), 'shop', 'INSERT')).toBe(false);
    expect(grantsCover(grants("GRANT INSERT ON `shop`.`orders` TO 'u'@'%'"), 'shop', 'INSERT')).toBe(false);
    expect(grantsCover(grants("GRANT USAGE ON *.* TO 'u'@'%'"), 'shop', 'INSERT')).toBe(false);
    expect(grantsCover(grants("GRANT CREATE TEMPORARY TABLES ON `shop`.* TO 'u'@'%'"), 'shop', 'CREATE')).toBe(false);
  });
  it('matches LIKE patterns in the database name, honouring \\_ escapes', () => {
    expect(grantsCover(grants("GRANT INSERT ON `shop%`.* TO 'u'@'%'"), 'shop_eu', 'INSERT')).toBe(true);
    expect(grantsCover(grants("GRANT INSERT ON `shop\\_eu`.* TO 'u'@'%'"), 'shop_eu', 'INSERT')).toBe(true);
    expect(grantsCover(grants("GRANT INSERT ON `shop\\_eu`.* TO 'u'@'%'"), 'shopXeu', 'INSERT')).toBe(false);
  });
});
