import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AdminActor } from '../keys/roles';
import type { AdminRequest } from './admin-request';
import { AdminProblem, badRequest } from './problem';

export const MAX_REASON = 500;

/**
 * The writer of an admin write, with the reason it must give (the JSON body's `reason`, or the `reason`
 * query parameter of a DELETE): a write without one is a 400 before anything changes.
 */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): AdminActor => {
  const request = context.switchToHttp().getRequest<AdminRequest>();
  const principal = request.adminPrincipal;
  if (!principal) throw new AdminProblem(401, 'send an API key as "Authorization: Bearer <key>"');
  const body: unknown = request.body;
  const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).reason : undefined;
  const reason = fromBody ?? request.query.reason;
  if (typeof reason !== 'string' || reason.trim() === '')
    throw badRequest('every write needs a non-empty "reason" (why it is done, for the audit trail)', ['reason']);
  if (reason.length > MAX_REASON) throw badRequest(`reason is longer than ${MAX_REASON} characters`, ['reason']);
  return { ...principal, requestId: request.adminRequestId ?? 'unknown', reason: reason.trim() };
});
