/**
 * Alipay's notifications (payment results on all three channels, ISV token messages) on their own
 * listener, and the notification log. Depends on the payments engine only through
 * `engine.notifications` (settle a payment's result under its state machine and version check).
 */
import { DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LOGGER } from '../logging/logging.module';
import type { Logger } from '../logging/logger';
import { PAYMENTS_ENGINE, PaymentsModule } from '../payments/delivery/payments.module';
import type { PaymentsEngine } from '../payments/application/payments-engine';
import { SECRET_BOX, UNIT_OF_WORK } from '../persistence/persistence.tokens';
import type { SecretBox } from '../persistence/secret-box';
import type { UnitOfWork } from '../persistence/unit-of-work';
import { AlipayIdentities } from './alipay-identities';
import { NotificationIntake } from './notification-intake';
import { NotificationListener } from './notification-listener';
import { NotificationLog } from './notification-log';

@Injectable()
export class NotificationsLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(NotificationListener) private readonly listener: NotificationListener,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.notifications.enabled) await this.listener.listen();
  }

  async onModuleDestroy(): Promise<void> {
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
        { provide: NotificationLog, inject: [UNIT_OF_WORK], useFactory: (uow: UnitOfWork) => new NotificationLog(uow) },
        {
          provide: NotificationIntake,
          inject: [AlipayIdentities, NotificationLog, PAYMENTS_ENGINE, LOGGER, APP_CONFIG],
          useFactory: (ids: AlipayIdentities, log: NotificationLog, engine: PaymentsEngine, logger: Logger, c: AppConfig) =>
            new NotificationIntake(ids, log, engine, logger.child({ component: 'notifications' }), c.timeouts.alipayCallTimeoutMs),
        },
        {
          provide: NotificationListener,
          inject: [NotificationIntake, APP_CONFIG, LOGGER],
          useFactory: (intake: NotificationIntake, c: AppConfig, logger: Logger) =>
            new NotificationListener(intake, c.notifications, logger.child({ component: 'notifications' })),
        },
        NotificationsLifecycle,
      ],
      exports: [NotificationLog, NotificationListener, NotificationIntake],
    };
  }
}
