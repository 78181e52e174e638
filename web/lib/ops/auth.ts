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
  user: { id: string; email: string; name: string };
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
export const SIGN_UP = gql<{ signUp: { user: { id: string } } }, { input: SignUpInput }>(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { user { id } }
  }
`);

export const LOG_IN = gql<{ logIn: { user: { id: string } } }, { input: { email: string; password: string } }>(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) { user { id } }
  }
`);

export const LOG_OUT = gql<{ logOut: boolean }, Empty>(`
  mutation LogOut { logOut }
`);

export const SWITCH_TENANT = gql<{ switchTenant: { tenant: { id: string } } }, { tenantId: string }>(`
  mutation SwitchTenant($tenantId: ID!) {
    switchTenant(tenantId: $tenantId) { tenant { id } }
  }
`);
