/**
 * A write that passed the key, role and reason checks but was refused (404, 409, 422, 502) still leaves its
 * one audit entry: someone tried it, and why it did not happen is part of the record. Services that audit
 * a refusal themselves (with what Alipay said, say) mark the problem so it is not written twice.
 */
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import type { AdminRequest } from '../http/admin-request';
import { AdminProblem } from '../http/problem';
import { AuditTrail } from './audit-trail';

const AUDITED_REFUSALS = new Set([404, 409, 422, 502]);

@Injectable()
export class RefusalAuditor implements NestInterceptor {
  constructor(@Inject(AuditTrail) private readonly audit: AuditTrail) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err: unknown) => {
        if (!(err instanceof AdminProblem) || err.audited || !AUDITED_REFUSALS.has(err.status)) return throwError(() => err);
        const request = context.switchToHttp().getRequest<AdminRequest>();
        const body = request.body as { reason?: unknown } | undefined;
        const reason = body?.reason ?? request.query.reason;
        const principal = request.adminPrincipal;
        if (!principal || typeof reason !== 'string') return throwError(() => err);
        const action = `${context.getClass().name.replace(/Controller$/, '').toLowerCase()}.${context.getHandler().name}`;
        return from(
          this.audit.record(
            { ...principal, requestId: request.adminRequestId ?? 'unknown', reason },
            { action, targetType: 'request', targetId: `${request.method} ${request.path}`, outcome: `refused (${err.status}): ${err.detail}` },
          ),
        ).pipe(mergeMap(() => throwError(() => err.markAudited())));
      }),
    );
  }
}
