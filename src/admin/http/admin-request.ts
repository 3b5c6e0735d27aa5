/** What the admin edge attaches to an Express request before any controller sees it. */
import type { Request } from 'express';
import type { AdminPrincipal } from '../keys/roles';

export interface AdminRequest extends Request {
  adminPrincipal?: AdminPrincipal;
  adminRequestId?: string;
}

export const REQUEST_ID_HEADER = 'x-request-id';
