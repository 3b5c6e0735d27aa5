/** Each API key has one role; a role may do everything the roles below it may. */
export type AdminRole = 'viewer' | 'operator' | 'admin';

export const ADMIN_ROLES: readonly AdminRole[] = ['viewer', 'operator', 'admin'];

export function roleAllows(held: AdminRole, needed: AdminRole): boolean {
  return ADMIN_ROLES.indexOf(held) >= ADMIN_ROLES.indexOf(needed);
}

export function isAdminRole(value: unknown): value is AdminRole {
  return typeof value === 'string' && (ADMIN_ROLES as readonly string[]).includes(value);
}

/** Who made an admin request: the key's name and role, for the guard and the audit trail. */
export interface AdminPrincipal {
  readonly keyId?: string;
  readonly name: string;
  readonly role: AdminRole;
}

/** What every write carries into the audit trail. */
export interface AdminActor extends AdminPrincipal {
  readonly requestId: string;
  readonly reason: string;
}
