/**
 * What a request without a credential may run: only the operations that bring
 * a credential (signUp, logIn, registerAgent, acceptInvitation) and apiInfo.
 * Everything else, introspection included, is refused before execution with
 * UNAUTHENTICATED, so an anonymous caller cannot make the api do work.
 */
import type { DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { AppError } from '../errors';
import type { GraphQLContext } from './context';
import { Kind } from './graphql-runtime';

export const ANONYMOUS_ROOT_FIELDS = new Set(['signUp', 'logIn', 'registerAgent', 'acceptInvitation', 'apiInfo', '__typename']);

function rootFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>, out: Set<string>): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.add(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) rootFields(sel.selectionSet, fragments, seen, out);
    else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const f = fragments.get(sel.name.value);
      if (f) rootFields(f.selectionSet, fragments, seen, out);
    }
  }
}

/** The operation graphql will run (by name, or the only one). */
export function selectedOperation(doc: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
}

/** Throws UNAUTHENTICATED when an anonymous request asks for anything outside the allowlist. */
export function assertAnonymousAllowed(doc: DocumentNode, operationName?: string | null): void {
  const op = selectedOperation(doc, operationName);
  if (!op) return; // graphql reports the missing/ambiguous operation itself
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const fields = new Set<string>();
  rootFields(op.selectionSet, fragments, new Set(), fields);
  const denied = [...fields].filter((f) => !ANONYMOUS_ROOT_FIELDS.has(f));
  if (denied.length) {
    throw AppError.unauthenticated(
      `log in or send an API key to use ${denied.slice(0, 5).join(', ')}${denied.length > 5 ? '…' : ''} (without a credential only signUp, logIn, registerAgent, acceptInvitation and apiInfo are available)`,
    );
  }
}

/** For a request without a valid credential: refused unless allowlisted; a refused credential's own reason wins. */
export function gateAnonymous(ctx: Pick<GraphQLContext, 'auth' | 'authError' | 'auditAuthFailure'>, doc: DocumentNode, operationName?: string | null): void {
  if (ctx.auth) return;
  try {
    assertAnonymousAllowed(doc, operationName);
  } catch (e) {
    if (ctx.authError) {
      void ctx.auditAuthFailure();
      throw ctx.authError;
    }
    throw e;
  }
}

/** Removes graphql's "Did you mean …?" suggestions, which reveal the schema (production). */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '').trim();
}
