/** What the /pay/v1 front door attaches to an Express request before any controller sees it. */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AdminProblem } from '../../admin/http/problem';
import type { ApiClient } from '../clients/api-client-store';

export const PAY_BASE_PATH = 'pay/v1';

export interface PayRequest extends Request {
  /** The client whose signature the request carries. */
  payClient?: ApiClient;
  /** The body exactly as signed. */
  rawBody?: string;
  /** The signed client's merchant: what routes that know only a merchant read (src/merchant-apps/h5 `@PayMerchant()`). */
  payMerchantId?: string;
}

/** The signed-in API client of a /pay/v1 route. */
export const PayClient = createParamDecorator((_: unknown, context: ExecutionContext): ApiClient => {
  const client = context.switchToHttp().getRequest<PayRequest>().payClient;
  if (!client) throw new AdminProblem(401, UNAUTHENTICATED);
  return client;
});

export const UNAUTHENTICATED = 'the request is not signed by a known API client';
