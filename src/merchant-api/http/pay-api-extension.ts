/**
 * How another capability adds routes to the /pay/v1 server (for example the smart-restaurant H5 flow's
 * `POST /pay/v1/oauth/alipay` and `POST /pay/v1/orders`): a Nest module whose controllers wear
 * `PayApiController` / `PayApiRoute`, passed to `MerchantApiModule.register({ extensions })` in app.module.ts.
 * Its providers may inject everything the server shares (PAY_API_SHARED_TOKENS in pay-api-server.ts: the
 * payments engine, repositories, unit of work, secret box, merchant catalog, config, logger, the API client
 * store, REST orders and webhook deliveries) and the tokens it lists in `shared`. Signed routes get the client
 * with `@PayClient()` (its merchant is also on the request as `payMerchantId`); every POST needs an
 * Idempotency-Key, handled before the controller runs.
 */
import type { DynamicModule, InjectionToken, Type } from '@nestjs/common';

export interface PayApiExtension {
  module: Type<unknown> | DynamicModule;
  /** Paths below /pay/v1 (e.g. '/h5/menu') answered without a signature: pages and calls a browser makes. */
  publicPaths?: readonly string[];
  /** Further providers of the main application the module's controllers inject (e.g. H5_ORDERS). */
  shared?: readonly InjectionToken[];
}
