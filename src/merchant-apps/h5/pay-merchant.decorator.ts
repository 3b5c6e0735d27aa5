import { createParamDecorator, type ExecutionContext, UnauthorizedException } from '@nestjs/common';

/** Where the server that mounts the /pay/v1 routes puts the merchant it authenticated (the demo: its one merchant). */
export interface PayRequest {
  payMerchantId?: string;
}

/** The authenticated merchant of a /pay/v1 request; none (no authentication ran) is a 401. */
export const PayMerchant = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const merchantId = ctx.switchToHttp().getRequest<PayRequest>().payMerchantId;
  if (!merchantId) throw new UnauthorizedException();
  return merchantId;
});
