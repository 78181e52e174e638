import type { ChangeEvent } from 'react';
import { ROLES, roleLabel, type Role } from '../lib/ops/auth';

export const ROLE_HELP: Record<Role, string> = {
  OWNER: 'Everything, including owners',
  ADMIN: 'Manage members, API keys and agents',
  OPERATOR: 'Create, edit, start and stop jobs and data sources',
  VIEWER: 'Read only',
};

export function RoleSelect({
  value,
  onChange,
  allowed = ROLES,
  id,
  ...rest
}: {
  value: Role;
  onChange: (r: Role) => void;
  allowed?: readonly Role[];
  id?: string;
  'aria-label'?: string;
  disabled?: boolean;
}) {
  return (
    <select id={id} value={value} onChange={(e: ChangeEvent<HTMLSelectElement>) => onChange(e.target.value as Role)} {...rest}>
      {ROLES.filter((r) => allowed.includes(r)).map((r) => (
        <option key={r} value={r}>
          {roleLabel(r)} — {ROLE_HELP[r]}
        </option>
      ))}
    </select>
  );
}
