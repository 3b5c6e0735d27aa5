/**
 * The embedded demo's own small HTTP server (H5_DEMO=true): the ordering pages under /h5/ and the /pay/v1
 * H5 routes, every request acting as the demo merchant (H5_DEMO_MERCHANT). It takes no credentials, which
 * is why production refuses H5_DEMO; the merchant API's server mounts the same controllers behind its
 * signature check.
 */
import type { INestApplication } from '@nestjs/common';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from '../../logging/logger';
import { NestPinoLogger } from '../../logging/nest-logger';
import type { H5DemoConfig } from './h5.config';
import type { H5Orders } from './h5-orders';
import { H5OrdersController } from './h5-orders.controller';
import { H5PagesController, type H5PagesOptions } from './h5-pages.controller';
import { H5_ORDERS, H5_PAGES } from './h5.tokens';
import type { PayRequest } from './pay-merchant.decorator';

@Module({})
class H5DemoModule {
  static register(orders: H5Orders, pages: H5PagesOptions): DynamicModule {
    return {
      module: H5DemoModule,
      controllers: [H5OrdersController, H5PagesController],
      providers: [
        { provide: H5_ORDERS, useValue: orders },
        { provide: H5_PAGES, useValue: pages },
      ],
    };
  }
}

export interface RunningH5Demo {
  url: string;
  close(): Promise<void>;
}

export async function startH5Demo(
  orders: H5Orders,
  demo: H5DemoConfig,
  apJsUrl: string,
  logger: Logger,
): Promise<RunningH5Demo> {
  const app: INestApplication = await NestFactory.create(H5DemoModule.register(orders, { apJsUrl }), {
    logger: new NestPinoLogger(logger.child({ component: 'h5-demo' })),
    abortOnError: false,
  });
  app.use((req: PayRequest, _res: unknown, next: () => void) => {
    req.payMerchantId = demo.merchantId;
    next();
  });
  await app.listen(demo.port, demo.host);
  const { port } = (app.getHttpServer() as HttpServer).address() as { port: number };
  const url = `http://${demo.host === '0.0.0.0' ? '127.0.0.1' : demo.host}:${port}`;
  logger.info({ url: `${url}/h5/`, merchantId: demo.merchantId }, 'H5 ordering demo started');
  return { url, close: () => app.close() };
}
