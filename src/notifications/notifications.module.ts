/**
 * Alipay's notifications (payment results on all three channels, ISV token messages) on their own
 * listener, and the notification log. Depends on the payments engine only through
 * `engine.notifications` (settle a payment's result under its state machine and version check).
 */
import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LOGGER } from '../logging/logging.module';
import type { Logger } from '../logging/logger';
import { PAYMENTS_ENGINE, PaymentsModule } from '../payments/delivery/payments.module';
import type { PaymentsEngine } from '../payments/application/payments-engine';
import { SECRET_BOX, SQL_SESSION, UNIT_OF_WORK } from '../persistence/persistence.tokens';
import type { SqlSession } from '../persistence/sql';
import type { SecretBox } from '../persistence/secret-box';
import type { UnitOfWork } from '../persistence/unit-of-work';
import { MerchantCatalog } from '../persistence/merchant-catalog';
import { AlipayIdentities } from './alipay-identities';
import { IsvTokenStore } from './isv/isv-token-store';
import { IsvTokens } from './isv/isv-tokens';
import { NotificationIntake } from './notification-intake';
import { NotificationListener } from './notification-listener';
import { NotificationLog } from './notification-log';

@Injectable()
export class NotificationsLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(NotificationListener) private readonly listener: NotificationListener,
    @Inject(IsvTokens) private readonly tokens: IsvTokens,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.notifications.enabled) await this.listener.listen();
    // Tokens are refreshed a lead time before they expire (a quarter of the lead is early enough), and an
    // expired one that cannot be refreshed is dropped within a minute.
    const lead = this.config.notifications.tokenRefreshLeadMs;
    const every = Math.min(Math.max(Math.floor(lead / 4), 1_000), 60_000);
    this.refreshTimer = setInterval(() => {
      this.tokens
        .refreshDue(lead)
        .catch((err: unknown) =>
          this.logger.error(
            { err: err instanceof Error ? err.message : String(err) },
            'isv token refresh failed',
          ),
        );
    }, every);
    this.refreshTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.refreshTimer);
    await this.listener.close();
  }
}

@Module({})
export class NotificationsModule {
  static register(sandboxUrl: string): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [PaymentsModule],
      providers: [
        {
          provide: AlipayIdentities,
          inject: [UNIT_OF_WORK, SECRET_BOX],
          useFactory: (uow: UnitOfWork, secrets: SecretBox) => new AlipayIdentities(uow, secrets, sandboxUrl),
        },
        {
          provide: NotificationLog,
          inject: [UNIT_OF_WORK, SQL_SESSION],
          useFactory: (uow: UnitOfWork, session: SqlSession) => new NotificationLog(uow, session),
        },
        {
          provide: IsvTokens,
          inject: [UNIT_OF_WORK, SECRET_BOX, MerchantCatalog, LOGGER, APP_CONFIG],
          useFactory: (
            uow: UnitOfWork,
            secrets: SecretBox,
            catalog: MerchantCatalog,
            logger: Logger,
            c: AppConfig,
          ) =>
            new IsvTokens(
              new IsvTokenStore(uow, secrets),
              catalog,
              sandboxUrl,
              c.timeouts.alipayCallTimeoutMs,
              logger.child({ component: 'isv-tokens' }),
            ),
        },
        {
          provide: NotificationIntake,
          inject: [AlipayIdentities, NotificationLog, PAYMENTS_ENGINE, LOGGER, APP_CONFIG, IsvTokens],
          useFactory: (
            ids: AlipayIdentities,
            log: NotificationLog,
            engine: PaymentsEngine,
            logger: Logger,
            c: AppConfig,
            tokens: IsvTokens,
          ) =>
            new NotificationIntake(
              ids,
              log,
              engine,
              logger.child({ component: 'notifications' }),
              c.timeouts.alipayCallTimeoutMs,
              tokens,
            ),
        },
        {
          provide: NotificationListener,
          inject: [NotificationIntake, APP_CONFIG, LOGGER],
          useFactory: (intake: NotificationIntake, c: AppConfig, logger: Logger) =>
            new NotificationListener(intake, c.notifications, logger.child({ component: 'notifications' })),
        },
        NotificationsLifecycle,
      ],
      // Global: the admin API lists the log and the ISV authorizations (src/admin/notifications).
      global: true,
      exports: [NotificationLog, NotificationListener, NotificationIntake, IsvTokens],
    };
  }
}
