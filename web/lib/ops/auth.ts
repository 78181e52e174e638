import { op } from '../gql';
import { graphql } from '../gql/generated';
import type { MeQuery, Role as RoleEnum, SignUpInput as SignUp } from '../gql/generated/graphql';

/** GraphQL enum values, as they travel on the wire. */
export type Role = RoleEnum;
export const ROLES: Role[] = ['OWNER', 'ADMIN', 'OPERATOR', 'VIEWER'];
const RANK: Record<Role, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3, OWNER: 4 };
export function roleLabel(r: Role | string): string {
  return r.toLowerCase();
}
export function roleAtLeast(role: Role | undefined, min: Role): boolean {
  return !!role && RANK[role] >= RANK[min];
}

/** `user` is null only for API-key callers; the portal always has a user. */
export type Me = MeQuery['me'];

export const ME = op(
  graphql(`
    query Me {
      me {
        user {
          id
          email
          name
        }
        tenant {
          id
          name
          slug
        }
        role
        memberships {
          tenant {
            id
            name
          }
          role
        }
      }
    }
  `),
);

export type SignUpInput = SignUp;
export const SIGN_UP = op(
  graphql(`
    mutation SignUp($input: SignUpInput!) {
      signUp(input: $input) {
        expiresAt
      }
    }
  `),
);

export const LOG_IN = op(
  graphql(`
    mutation LogIn($input: LogInInput!) {
      logIn(input: $input) {
        expiresAt
      }
    }
  `),
);

export const LOG_OUT = op(
  graphql(`
    mutation LogOut {
      logOut
    }
  `),
);

export const SWITCH_TENANT = op(
  graphql(`
    mutation SwitchTenant($tenantId: ID!) {
      switchTenant(tenantId: $tenantId) {
        expiresAt
      }
    }
  `),
);
