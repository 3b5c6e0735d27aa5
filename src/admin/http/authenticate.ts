/**
 * The admin API's front door, mounted on /admin/v1 before body parsing and routing: a request without a
 * known, unrevoked key gets 401 and nothing else (not a 404, not a body-parse error). Roles are checked
 * next, per route, by RoleGuard.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Response } from 'express';
import type { ApiKeyStore } from '../keys/api-key-store';
import type { AdminRequest } from './admin-request';
import { REQUEST_ID_HEADER } from './admin-request';
import { problemDetails } from './problem';
import { sendProblem } from './problem.filter';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function authenticateAdmin(keys: ApiKeyStore) {
  return (request: AdminRequest, response: Response, next: NextFunction): void => {
    const given = request.header(REQUEST_ID_HEADER);
    const requestId = given !== undefined && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    request.adminRequestId = requestId;
    response.setHeader('X-Request-Id', requestId);
    const key = bearerKey(request.header('authorization'));
    const refuse = (detail: string) => {
      response.setHeader('WWW-Authenticate', 'Bearer realm="admin"');
      sendProblem(response, problemDetails(401, detail, request.originalUrl.split('?')[0]));
    };
    if (key === undefined) return refuse('send an API key as "Authorization: Bearer <key>"');
    keys.authenticate(key).then(
      (principal) => {
        if (!principal) return refuse('the API key is unknown or revoked');
        request.adminPrincipal = principal;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

function bearerKey(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
