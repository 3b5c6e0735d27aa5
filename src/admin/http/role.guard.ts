import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { roleAllows, type AdminRole } from '../keys/roles';
import type { AdminRequest } from './admin-request';
import { AdminProblem } from './problem';

const REQUIRED_ROLE = 'admin:required-role';

export const RequiresRole = (role: AdminRole) => SetMetadata(REQUIRED_ROLE, role);

/** 403 when the key's role is below the route's; a route that names no role is refused to everyone. */
@Injectable()
export class RoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const principal = request.adminPrincipal;
    if (!principal) throw new AdminProblem(401, 'send an API key as "Authorization: Bearer <key>"');
    const needed = this.reflector.get<AdminRole | undefined>(REQUIRED_ROLE, context.getHandler());
    if (needed === undefined || !roleAllows(principal.role, needed))
      throw new AdminProblem(403, `this needs the ${needed ?? 'undefined'} role; the key "${principal.name}" is ${principal.role}`);
    return true;
  }
}
