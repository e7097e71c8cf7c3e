import type { Role as DbRole } from '../database/generated/enums';
import type { Role } from './auth.types';

/** Wire role (lower-case) of a database role. */
export function roleFromDb(role: DbRole): Role {
  return role.toLowerCase() as Role;
}

/** Database role of a wire role. */
export function roleToDb(role: Role): DbRole {
  return role.toUpperCase() as DbRole;
}
