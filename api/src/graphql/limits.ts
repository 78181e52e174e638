/**
 * Validation rules bounding what one operation may cost, run before execution,
 * each refusing with a message that names the limit (mapped to BAD_USER_INPUT):
 * - depth (nesting of fields, through fragments),
 * - estimated complexity (a field costs 1 plus its children times the page size it asks for;
 *   introspection lists count as lists of INTROSPECTION_LIST_GUESS),
 * - aliases (each aliased field, after expanding fragments),
 * - total fields (every field selection, after expanding fragments),
 * - nesting of introspection lists (`types`, `fields`, `args`, ...): at most 3, which the standard
 *   introspection query needs (types > fields > args); recursing through `type { fields }` to
 *   multiply the schema by itself needs more.
 * Introspection fields (`__schema`, `__type`, their children) count toward depth and complexity like
 * any other, except that `ofType` does not deepen: it is one object per level and ends after the
 * type's real wrappers (NonNull/List), so it cannot fan out, and the standard query nests it 7 deep.
 */
import { type ASTVisitor, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { GraphQLError, Kind } from './graphql-runtime';

const MAX_LIST_GUESS = 100;
/** Introspection lists have no page size; the standard introspection query fits the default limits with this. */
const INTROSPECTION_LIST_GUESS = 3;
const MAX_INTROSPECTION_LIST_NESTING = 3;
const INTROSPECTION_LISTS = new Set(['types', 'fields', 'args', 'inputFields', 'enumValues', 'interfaces', 'possibleTypes', 'directives', 'locations']);

export interface OperationLimits {
  maxDepth: number;
  maxComplexity: number;
  maxAliases: number;
  maxFields: number;
}

function fragmentsOf(ctx: ValidationContext): Map<string, FragmentDefinitionNode> {
  const m = new Map<string, FragmentDefinitionNode>();
  for (const d of ctx.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) m.set(d.name.value, d);
  return m;
}

function listMultiplier(field: FieldNode, inIntrospection: boolean): number {
  for (const arg of field.arguments ?? []) {
    if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
    if (arg.value.kind === Kind.INT) return Math.max(1, Math.min(Number(arg.value.value), MAX_LIST_GUESS));
    return MAX_LIST_GUESS; // a variable: assume the largest page
  }
  if (inIntrospection && INTROSPECTION_LISTS.has(field.name.value)) return INTROSPECTION_LIST_GUESS;
  return 1;
}

interface Tally {
  cost: number;
  depth: number;
  fields: number;
  aliases: number;
  /** Deepest nesting of introspection list fields. */
  introLists: number;
}

/** Stops walking once a count is far past every limit, so a huge document costs little to refuse. */
const WALK_BUDGET = 1_000_000;

function walk(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
  inIntrospection: boolean,
  budget: { left: number },
): Tally {
  const t: Tally = { cost: 0, depth: 0, fields: 0, aliases: 0, introLists: 0 };
  for (const sel of set.selections) {
    if (budget.left <= 0) break;
    if (sel.kind === Kind.FIELD) {
      budget.left--;
      const intro = inIntrospection || sel.name.value === '__schema' || sel.name.value === '__type';
      const child = sel.selectionSet ? walk(sel.selectionSet, fragments, seen, intro, budget) : { cost: 0, depth: 0, fields: 0, aliases: 0, introLists: 0 };
      t.cost += 1 + listMultiplier(sel, intro) * child.cost;
      t.depth = Math.max(t.depth, (intro && sel.name.value === 'ofType' ? 0 : 1) + child.depth);
      t.introLists = Math.max(t.introLists, (intro && INTROSPECTION_LISTS.has(sel.name.value) ? 1 : 0) + child.introLists);
      t.fields += 1 + child.fields;
      t.aliases += (sel.alias ? 1 : 0) + child.aliases;
      continue;
    }
    let inner: SelectionSetNode | undefined;
    let name: string | undefined;
    if (sel.kind === Kind.INLINE_FRAGMENT) inner = sel.selectionSet;
    else {
      name = sel.name.value;
      if (seen.has(name)) continue; // fragment cycles are reported by graphql's own rule
      inner = fragments.get(name)?.selectionSet;
    }
    if (!inner) continue;
    if (name) seen.add(name);
    const r = walk(inner, fragments, seen, inIntrospection, budget);
    if (name) seen.delete(name);
    t.cost += r.cost;
    t.depth = Math.max(t.depth, r.depth);
    t.fields += r.fields;
    t.aliases += r.aliases;
    t.introLists = Math.max(t.introLists, r.introLists);
  }
  return t;
}

/** What an operation adds up to (exported for tests and for measuring real operations). */
export function measureOperation(ctx: ValidationContext, set: SelectionSetNode): Tally & { truncated: boolean } {
  const budget = { left: WALK_BUDGET };
  const t = walk(set, fragmentsOf(ctx), new Set(), false, budget);
  return { ...t, truncated: budget.left <= 0 };
}

/** The limits from the api's env. */
export function graphqlLimits(env: {
  GRAPHQL_MAX_DEPTH: number;
  GRAPHQL_MAX_COMPLEXITY: number;
  GRAPHQL_MAX_ALIASES: number;
  GRAPHQL_MAX_FIELDS: number;
}): OperationLimits {
  return { maxDepth: env.GRAPHQL_MAX_DEPTH, maxComplexity: env.GRAPHQL_MAX_COMPLEXITY, maxAliases: env.GRAPHQL_MAX_ALIASES, maxFields: env.GRAPHQL_MAX_FIELDS };
}

export function operationLimitsRule(limits: OperationLimits): ValidationRule {
  return (ctx: ValidationContext): ASTVisitor => ({
    OperationDefinition(op) {
      const r = measureOperation(ctx, op.selectionSet);
      const name = op.name ? `operation ${op.name.value}` : 'the operation';
      const refuse = (msg: string) => ctx.reportError(new GraphQLError(msg, { nodes: [op] }));
      if (r.aliases > limits.maxAliases)
        refuse(`too many aliases: ${name} uses ${r.truncated ? 'more than ' : ''}${r.aliases}; the limit is ${limits.maxAliases}`);
      if (r.fields > limits.maxFields || r.truncated)
        refuse(`too many fields: ${name} selects ${r.truncated ? 'more than ' : ''}${r.fields} (fragments expanded); the limit is ${limits.maxFields}`);
      if (r.introLists > MAX_INTROSPECTION_LIST_NESTING)
        refuse(
          `introspection too deep: ${name} nests ${r.introLists} introspection lists (types, fields, args...); the limit is ${MAX_INTROSPECTION_LIST_NESTING}`,
        );
      if (r.depth > limits.maxDepth) refuse(`query too deep: ${name} nests ${r.depth} levels; the limit is ${limits.maxDepth}`);
      if (r.cost > limits.maxComplexity) {
        refuse(`query too complex: ${name} costs ${r.cost}; the limit is ${limits.maxComplexity} (ask for smaller pages with first, or fewer nested lists)`);
      }
    },
  });
}
