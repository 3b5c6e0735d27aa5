/**
 * The /pay/v1 HTTP server on its own port (PAY_API_HOST:PAY_API_PORT), apart from the admin server: a second
 * Nest application in the same process, whose providers are the main application's instances (one payments
 * engine, one database pool), so it faces merchants with its own limits, front door and OpenAPI document.
 */
import type { Server as HttpServer } from 'node:http';
import { DynamicModule, Module, type INestApplication, type InjectionToken, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { APP_CONFIG } from '../../config/config.module';
import { LOGGER } from '../../logging/logging.module';
import type { Logger } from '../../logging/logger';
import { NestPinoLogger } from '../../logging/nest-logger';
import { PAYMENT_REPOSITORY, PAYMENTS_ENGINE, REFUND_REPOSITORY } from '../../payments/application/ports/tokens';
import { MerchantCatalog } from '../../persistence/merchant-catalog';
import { SECRET_BOX, UNIT_OF_WORK } from '../../persistence/persistence.tokens';
import { ApiClientStore } from '../clients/api-client-store';
import type { MerchantApiConfig } from '../merchant-api.config';
import { PaymentsController } from '../payments/payments.controller';
import { RestOrders } from '../payments/rest-orders';
import { RestPayments } from '../payments/rest-payments';
import { WebhookDeliveries } from '../webhooks/webhook-deliveries';
import { authenticateClient } from './authenticate-client';
import { IdempotencyStore, requireIdempotency } from './idempotency';
import { PAY_API_SECURITY } from './pay-api-route.decorator';
import type { PayApiExtension } from './pay-api-extension';
import { PAY_BASE_PATH } from './pay-request';

/** The main application's instances the /pay/v1 server (and its extensions) may inject. */
export const PAY_API_SHARED_TOKENS = [
  APP_CONFIG,
  LOGGER,
  UNIT_OF_WORK,
  SECRET_BOX,
  MerchantCatalog,
  PAYMENTS_ENGINE,
  PAYMENT_REPOSITORY,
  REFUND_REPOSITORY,
  ApiClientStore,
  IdempotencyStore,
  RestOrders,
  RestPayments,
  WebhookDeliveries,
] as const;

export const OPENAPI_PATH = '/openapi.json';

@Module({})
class PayApiHttpModule {
  static register(shared: Provider[], tokens: readonly InjectionToken[], extensions: readonly PayApiExtension[]): DynamicModule {
    return {
      module: PayApiHttpModule,
      global: true,
      imports: extensions.map((e) => e.module),
      controllers: [PaymentsController],
      providers: shared,
      exports: [...tokens],
    };
  }
}

export class PayApiServer {
  private app: INestApplication | undefined;
  private baseUrl = '';

  constructor(
    private readonly config: MerchantApiConfig,
    private readonly extensions: readonly PayApiExtension[],
    private readonly logger: Logger,
  ) {}

  /** `resolve` hands over the main application's instance of each shared token. */
  async start(resolve: (token: InjectionToken) => unknown): Promise<string> {
    const tokens = [...new Set<InjectionToken>([...PAY_API_SHARED_TOKENS, ...this.extensions.flatMap((e) => e.shared ?? [])])];
    const shared: Provider[] = tokens.map((token) => ({ provide: token, useValue: resolve(token) }));
    const app = await NestFactory.create(PayApiHttpModule.register(shared, tokens, this.extensions), {
      bodyParser: false,
      logger: new NestPinoLogger(this.logger),
      abortOnError: false,
    });
    const publicPaths = new Set([OPENAPI_PATH, ...this.extensions.flatMap((e) => e.publicPaths ?? [])]);
    const document = openApiDocument(app, this.extensions);
    app.use(`/${PAY_BASE_PATH}${OPENAPI_PATH}`, (_req: unknown, res: { json(body: unknown): void }) => res.json(document));
    app.use(
      `/${PAY_BASE_PATH}`,
      authenticateClient(app.get(ApiClientStore), { ...this.config, isPublic: (path) => publicPaths.has(path) }),
      requireIdempotency(app.get(IdempotencyStore), this.logger),
    );
    await app.listen(this.config.port, this.config.host);
    this.app = app;
    const port = ((app.getHttpServer() as HttpServer).address() as { port: number }).port;
    this.baseUrl = `http://${this.config.host}:${port}`;
    this.logger.info({ url: this.baseUrl }, 'merchant payment API started');
    return this.baseUrl;
  }

  /** `http://host:port` once started (the port is the bound one when PAY_API_PORT is 0). */
  url(): string {
    return this.baseUrl;
  }

  async close(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }
}

function openApiDocument(app: INestApplication, extensions: readonly PayApiExtension[]) {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Alipay EFT switch: merchant payment API')
      .setDescription(
        'REST payments for merchant apps and mPOS devices (seed 004, RESTful gateway model) through the same payments engine as terminals. ' +
          'Every request is signed: `Client-Id`, `Request-Time` (ISO 8601 UTC) and `Signature: algorithm=HMAC-SHA256, keyVersion=1, signature=<base64url>` over ' +
          '`<METHOD> <path>\\n<Client-Id>.<Request-Time>.<body>` with the client secret; anything else is a 401 that says nothing more. ' +
          'Every POST needs an `Idempotency-Key`: a repeat with the same body gets the first answer, another body under the same key a 422. ' +
          'Errors are RFC 9457 problem details. Results are also pushed to the payment’s `webhookUrl`, signed (`Webhook-Signature: t=<unix>, v1=<hex>`). ' +
          'Each operation names the `npm run pay-sign` command that prints a runnable, signed curl command for it. See docs/merchant-api.md.',
      )
      .setVersion('1')
      .addSecurity(PAY_API_SECURITY, { type: 'apiKey', in: 'header', name: 'Signature', description: 'HMAC-SHA256 request signature, with Client-Id and Request-Time' })
      .build(),
    { include: [PayApiHttpModule, ...extensions.map((e) => ('module' in e.module ? e.module.module : e.module))] },
  );
}
