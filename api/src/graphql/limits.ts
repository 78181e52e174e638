/**
 * Validation rules bounding what one operation may cost: a maximum depth and a
 * maximum estimated complexity. Both run before execution and reject with a
 * message saying what the limit is (mapped to BAD_USER_INPUT).
 * Introspection fields (`__schema`, `__type`) are not counted.
 */
import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { GraphQLError, Kind } from './graphql-runtime';

const MAX_LIST_GUESS = 100;

function fragmentsOf(ctx: ValidationContext): Map<string, FragmentDefinitionNode> {
  const m = new Map<string, FragmentDefinitionNode>();
  for (const d of ctx.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) m.set(d.name.value, d);
  return m;
}

function listMultiplier(field: FieldNode): number {
  for (const arg of field.arguments ?? []) {
    if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
    if (arg.value.kind === Kind.INT) return Math.max(1, Math.min(Number(arg.value.value), MAX_LIST_GUESS));
    return MAX_LIST_GUESS; // a variable: assume the largest page
  }
  return 1;
}

function walk(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
  visit: (field: FieldNode, childCost: number, childDepth: number) => { cost: number; depth: number },
): { cost: number; depth: number } {
  let cost = 0;
  let depth = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue;
      const child = sel.selectionSet ? walk(sel.selectionSet, fragments, seen, visit) : { cost: 0, depth: 0 };
      const r = visit(sel, child.cost, child.depth);
      cost += r.cost;
      depth = Math.max(depth, r.depth);
    } else {
      let inner: SelectionSetNode | undefined;
      if (sel.kind === Kind.INLINE_FRAGMENT) inner = sel.selectionSet;
      else {
        const name = sel.name.value;
        if (seen.has(name)) continue; // fragment cycles are reported by graphql's own rule
        inner = fragments.get(name)?.selectionSet;
        if (inner) {
          seen.add(name);
          const r = walk(inner, fragments, seen, visit);
          seen.delete(name);
          cost += r.cost;
          depth = Math.max(depth, r.depth);
          continue;
        }
      }
      if (inner) {
        const r = walk(inner, fragments, seen, visit);
        cost += r.cost;
        depth = Math.max(depth, r.depth);
      }
    }
  }
  return { cost, depth };
}

export function operationLimitsRule(maxDepth: number, maxComplexity: number): ValidationRule {
  return (ctx: ValidationContext): ASTVisitor => ({
    OperationDefinition(op) {
      const fragments = fragmentsOf(ctx);
      const r = walk(op.selectionSet, fragments, new Set(), (field, childCost, childDepth) => ({
        cost: 1 + listMultiplier(field) * childCost,
        depth: 1 + childDepth,
      }));
      const name = op.name ? `operation ${op.name.value}` : 'the operation';
      if (r.depth > maxDepth) {
        ctx.reportError(new GraphQLError(`query too deep: ${name} nests ${r.depth} levels; the limit is ${maxDepth}`, { nodes: [op] }));
      }
      if (r.cost > maxComplexity) {
        ctx.reportError(
          new GraphQLError(`query too complex: ${name} costs ${r.cost}; the limit is ${maxComplexity} (ask for smaller pages with first, or fewer nested lists)`, {
            nodes: [op],
          }),
        );
      }
    },
  });
}
