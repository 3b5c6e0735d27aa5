import { DynamicModule, Global, Module } from '@nestjs/common';
import type { WalletChannel } from '@switch/alipay';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Logger } from '../logging/logger';
import { LOGGER } from '../logging/logging.module';
import {
  INSTANCE_LEASES,
  MERCHANT_CHANNELS,
  PAYMENT_REPOSITORY,
  REFUND_ALLOWANCE,
  REFUND_REPOSITORY,
} from '../payments/application/ports';
import { TERMINAL_DIRECTORY } from '../terminal/terminal-directory.port';
import { MerchantCatalog } from './merchant-catalog';
import { merchantEndpointProblem } from './production-guard';
import {
  DATA_SOURCE,
  SECRET_BOX,
  SQL_SESSION,
  UNIT_OF_WORK,
  WALLET_CHANNEL_DECORATOR,
} from './persistence.tokens';
import { RefundDayAllowance } from './refund-day-allowance';
import { RecentPayments } from './repositories/recent-payments';
import { SqlPaymentRepository } from './repositories/sql-payment.repository';
import { SqlRefundRepository } from './repositories/sql-refund.repository';
import { SecretBox, secretBoxFor } from './secret-box';
import { SqlInstanceLeases } from './sql-instance-leases';
import { TypeOrmTerminalDirectory } from './typeorm-terminal-directory';
import { openSqlSession, SqlSession } from './sql';
import { UnitOfWork } from './unit-of-work';

/**
 * The database is opened (and migrated) before Nest starts, so a bad DATABASE_URL stops the
 * process before any listener accepts a terminal; this module only hands it out.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forDataSource(dataSource: DataSource, sandboxUrl: string): DynamicModule {
    const uow = new UnitOfWork(dataSource);
    const recentPayments = new RecentPayments();
    return {
      module: PersistenceModule,
      providers: [
        { provide: DATA_SOURCE, useValue: dataSource },
        { provide: UNIT_OF_WORK, useValue: uow },
        { provide: SQL_SESSION, useValue: openSqlSession(dataSource, uow) },
        {
          provide: SECRET_BOX,
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => secretBoxFor(c.secrets),
        },
        {
          provide: TERMINAL_DIRECTORY,
          inject: [UNIT_OF_WORK, SECRET_BOX, LOGGER, APP_CONFIG],
          useFactory: (uow: UnitOfWork, secrets: SecretBox, logger: Logger, c: AppConfig) =>
            new TypeOrmTerminalDirectory(uow, secrets, {
              logger: logger.child({ component: 'terminals' }),
              gatewayTimeoutMs: c.timeouts.gatewayTimeoutMs,
            }),
        },
        {
          provide: MerchantCatalog,
          inject: [UNIT_OF_WORK, SECRET_BOX, APP_CONFIG, LOGGER, { token: WALLET_CHANNEL_DECORATOR, optional: true }],
          useFactory: (
            uow: UnitOfWork,
            secrets: SecretBox,
            c: AppConfig,
            logger: Logger,
            decorateChannel?: (channel: WalletChannel) => WalletChannel,
          ) =>
            new MerchantCatalog(uow, secrets, {
              sandboxUrl,
              alipayCallTimeoutMs: c.timeouts.alipayCallTimeoutMs,
              notifyBaseUrl: c.notifyBaseUrl,
              endpointProblem: (endpoint) => merchantEndpointProblem(endpoint, c),
              log: logger.child({ component: 'merchants' }),
              decorateChannel,
            }),
        },
        { provide: MERCHANT_CHANNELS, useExisting: MerchantCatalog },
        {
          provide: PAYMENT_REPOSITORY,
          inject: [SQL_SESSION],
          useFactory: (sql: SqlSession) => new SqlPaymentRepository(sql, recentPayments),
        },
        {
          provide: REFUND_ALLOWANCE,
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => new RefundDayAllowance(uow, c.security.refundDailyLimit),
        },
        {
          provide: REFUND_REPOSITORY,
          inject: [SQL_SESSION],
          useFactory: (sql: SqlSession) => new SqlRefundRepository(sql, recentPayments),
        },
        { provide: INSTANCE_LEASES, inject: [SQL_SESSION], useFactory: (sql: SqlSession) => new SqlInstanceLeases(sql) },
      ],
      exports: [
        DATA_SOURCE,
        UNIT_OF_WORK,
        SQL_SESSION,
        SECRET_BOX,
        TERMINAL_DIRECTORY,
        MerchantCatalog,
        MERCHANT_CHANNELS,
        PAYMENT_REPOSITORY,
        REFUND_ALLOWANCE,
        REFUND_REPOSITORY,
        INSTANCE_LEASES,
      ],
    };
  }
}
