import { createParamDecorator, type ExecutionContext, UnauthorizedException } from '@nestjs/common';

/** Where the server that mounts the /pay/v1 routes puts the merchant it authenticated (the demo: its one merchant). */
export interface PayRequest {
  payMerchantId?: string;
  /** The signed API client, when the server signs requests (the demo does not). */
  payClient?: { clientId: string };
}

/** The authenticated merchant of a /pay/v1 request; none (no authentication ran) is a 401. */
export const PayMerchant = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const merchantId = ctx.switchToHttp().getRequest<PayRequest>().payMerchantId;
  if (!merchantId) throw new UnauthorizedException();
  return merchantId;
});

/** The signed API client's id of a /pay/v1 request; undefined on a server without clients (the demo). */
export const PayClientId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => ctx.switchToHttp().getRequest<PayRequest>().payClient?.clientId);
