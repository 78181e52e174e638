import { gql, type Empty } from '../gql';

/** GraphQL enum values, as they travel on the wire. */
export type Role = 'OWNER' | 'ADMIN' | 'OPERATOR' | 'VIEWER';
export const ROLES: Role[] = ['OWNER', 'ADMIN', 'OPERATOR', 'VIEWER'];
const RANK: Record<Role, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3, OWNER: 4 };
export function roleLabel(r: Role | string): string {
  return r.toLowerCase();
}
export function roleAtLeast(role: Role | undefined, min: Role): boolean {
  return !!role && RANK[role] >= RANK[min];
}

export interface Me {
  /** Null only for API-key callers; the portal always has a user. */
  user: { id: string; email: string; name: string } | null;
  tenant: { id: string; name: string; slug: string };
  role: Role;
  memberships: Array<{ tenant: { id: string; name: string }; role: Role }>;
}

export const ME = gql<{ me: Me }>(`
  query Me {
    me {
      user { id email name }
      tenant { id name slug }
      role
      memberships { tenant { id name } role }
    }
  }
`);

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
  tenantName: string;
}
export const SIGN_UP = gql<{ signUp: { expiresAt: string } }, { input: SignUpInput }>(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { expiresAt }
  }
`);

export const LOG_IN = gql<{ logIn: { expiresAt: string } }, { input: { email: string; password: string } }>(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) { expiresAt }
  }
`);

export const LOG_OUT = gql<{ logOut: boolean }, Empty>(`
  mutation LogOut { logOut }
`);

export const SWITCH_TENANT = gql<{ switchTenant: { expiresAt: string } }, { tenantId: string }>(`
  mutation SwitchTenant($tenantId: ID!) {
    switchTenant(tenantId: $tenantId) { expiresAt }
  }
`);
