import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { LOGGER } from '../../logging/logging.module';
import type { Logger } from '../../logging/logger';
import type { PaymentsEngine } from '../../payments/application/payments-engine';
import { systemClock } from '../../payments/application/system-time';
import { PAYMENTS_ENGINE, PaymentsModule } from '../../payments/delivery/payments.module';
import { MerchantCatalog } from '../../persistence/merchant-catalog';
import { SECRET_BOX, UNIT_OF_WORK } from '../../persistence/persistence.tokens';
import type { SecretBox } from '../../persistence/secret-box';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { ManualInterventions } from '../../reversals/application/ports/manual-interventions.port';
import { MANUAL_INTERVENTIONS } from '../../reversals/application/ports/tokens';
import { ReversalsModule } from '../../reversals/delivery/reversals.module';
import { DailyReconciliation } from '../application/daily-reconciliation';
import { OrphanDebits } from '../application/orphan-debits';
import { ReconciliationService } from '../application/reconciliation.service';
import { CatalogMerchantChannels } from '../infrastructure/catalog-merchant-channels';
import { RunStore } from '../infrastructure/run-store';
import { StatementSource } from '../infrastructure/statement-source';
import { SwitchBooks } from '../infrastructure/switch-books';
import type { SftpEndpoint } from '../reconciliation.config';

export interface ReconciliationModuleOptions {
  /** Where merchants with endpoint "sandbox" go. */
  readonly sandboxUrl: string;
  /** The embedded sandbox's SFTP server: used for AMS and MAPI files unless RECON_*_SFTP is set. */
  readonly sandboxSftp?: SftpEndpoint;
}

class DailyReconciliationLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(DailyReconciliation) private readonly daily: DailyReconciliation) {}
  onApplicationBootstrap(): void {
    this.daily.start();
  }
  onModuleDestroy(): void {
    this.daily.stop();
  }
}

@Module({})
export class ReconciliationModule {
  static register(options: ReconciliationModuleOptions): DynamicModule {
    return {
      module: ReconciliationModule,
      // Global: its service is run and listed through the admin API (src/admin/reconciliations).
      global: true,
      imports: [PaymentsModule, ReversalsModule],
      providers: [
        {
          provide: ReconciliationService,
          inject: [
            UNIT_OF_WORK,
            SECRET_BOX,
            MerchantCatalog,
            PAYMENTS_ENGINE,
            MANUAL_INTERVENTIONS,
            APP_CONFIG,
            LOGGER,
          ],
          useFactory: (
            uow: UnitOfWork,
            secrets: SecretBox,
            catalog: MerchantCatalog,
            engine: PaymentsEngine,
            manual: ManualInterventions,
            config: AppConfig,
            logger: Logger,
          ) => {
            const settings = config.reconciliation;
            const books = new SwitchBooks(uow);
            const source = new StatementSource(uow, secrets, {
              sandboxUrl: options.sandboxUrl,
              alipayCallTimeoutMs: config.timeouts.alipayCallTimeoutMs,
              ...withSftp('amsSftp', settings.amsSftp ?? options.sandboxSftp),
              ...withSftp('mapiSftp', settings.mapiSftp ?? options.sandboxSftp),
            });
            const orphans = new OrphanDebits(
              books,
              engine.cancellation,
              new CatalogMerchantChannels(catalog, uow),
              manual,
              systemClock,
              { cancelWaitMs: settings.cancelWaitMs },
            );
            return new ReconciliationService(
              books,
              source,
              new RunStore(uow),
              orphans,
              manual,
              systemClock,
              logger.child({ component: 'reconciliation' }),
            );
          },
        },
        {
          provide: DailyReconciliation,
          inject: [ReconciliationService, APP_CONFIG, LOGGER],
          useFactory: (service: ReconciliationService, config: AppConfig, logger: Logger) =>
            new DailyReconciliation(
              service,
              config.reconciliation,
              logger.child({ component: 'reconciliation' }),
            ),
        },
        DailyReconciliationLifecycle,
      ],
      exports: [ReconciliationService],
    };
  }
}

function withSftp(
  key: 'amsSftp' | 'mapiSftp',
  endpoint: SftpEndpoint | undefined,
): Partial<Record<typeof key, SftpEndpoint>> {
  return endpoint ? { [key]: endpoint } : {};
}
