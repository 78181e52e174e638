import { describe, expect, it } from 'vitest';
import { kafkaJobSchema, targetTopicName, topicForTable, topicTemplateProblem } from './kafka-spec';

describe('topicForTable', () => {
  const v = { prefix: 'sluice', database: 'shop', table: 'orders' };
  it('fills the default template and the other placeholders', () => {
    const { topicTemplate } = kafkaJobSchema.parse({});
    expect(topicForTable(topicTemplate, v)).toBe('sluice.shop.orders');
    expect(topicForTable('{prefix}.{database}.{schema}.{table}', { ...v, database: 'app', schema: 'sales' })).toBe('sluice.app.sales.orders');
    expect(topicForTable('cdc-{table}', v)).toBe('cdc-orders');
  });
  it('uses the database as the schema when there is none (MySQL)', () => {
    expect(topicForTable('{schema}.{table}', v)).toBe('shop.orders');
    expect(topicForTable('{schema}.{table}', { ...v, schema: null })).toBe('shop.orders');
  });
  it('drops an empty value with one separator next to it', () => {
    expect(topicForTable('{prefix}.{database}.{table}', { ...v, prefix: '' })).toBe('shop.orders');
    expect(topicForTable('{database}.{table}.{prefix}', { ...v, prefix: '' })).toBe('shop.orders');
    expect(topicForTable('{prefix}_{table}', { ...v, prefix: '' })).toBe('orders');
  });
  it('routes every table to one topic when the template has no {table}', () => {
    expect(topicForTable('{prefix}.all', v)).toBe('sluice.all');
    expect(topicForTable('{prefix}.all', { ...v, table: 'items' })).toBe('sluice.all');
  });
  it('replaces characters a topic name cannot hold and keeps within 249 characters', () => {
    expect(topicForTable('{prefix}.{database}.{table}', { ...v, table: 'order lines$2', database: 'my db' })).toBe('sluice.my_db.order_lines_2');
    const long = topicForTable('{table}', { ...v, table: 'x'.repeat(400) });
    expect(long).toHaveLength(249);
  });
  it('leaves unknown placeholders to topicTemplateProblem', () => {
    expect(topicTemplateProblem('{prefix}.{database}.{table}')).toBeNull();
    expect(topicTemplateProblem('{prefix}.{db}.{table}')).toMatch(/unknown placeholder \{db\}/);
    expect(topicTemplateProblem('{prefix}.{table')).toMatch(/unmatched/);
    expect(topicTemplateProblem('{prefix} {table}')).toMatch(/letters, digits/);
    expect(topicTemplateProblem('...')).toMatch(/names no topic/);
    expect(topicTemplateProblem('audit')).toBeNull();
  });
});

describe('targetTopicName', () => {
  it('applies the explicit map, then the prefix and suffix', () => {
    const k = kafkaJobSchema.parse({ topicPrefix: 'b.', topicSuffix: '-copy', topicMap: { orders: 'sales' } });
    expect(targetTopicName('orders', k)).toBe('b.sales-copy');
    expect(targetTopicName('items', k)).toBe('b.items-copy');
  });
});
