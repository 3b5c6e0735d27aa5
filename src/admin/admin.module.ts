/**
 * The REST admin API (/admin/v1) beside /health: API keys and roles, the audit trail, transactions and
 * their operator actions, manual interventions, the reversal queue, merchants, terminals and sessions.
 * Services are plain classes built here from the ports other modules export; controllers are one line.
 * Authentication runs before Nest (admin-http.ts), so nothing under /admin/v1 answers without a key.
 */
import { Inject, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LOGGER } from '../logging/logging.module';
import type { Logger } from '../logging/logger';
import type { PaymentsEngine } from '../payments/application/payments-engine';
import { PAYMENT_REPOSITORY, REFUND_REPOSITORY, type PaymentRepository, type RefundRepository } from '../payments/application/ports';
import { PAYMENTS_ENGINE, PaymentsModule } from '../payments/delivery/payments.module';
import { MerchantCatalog } from '../persistence/merchant-catalog';
import { IsvTokensController, NotificationsController } from './notifications/notifications.controller';
import { ReconciliationsController } from './reconciliations/reconciliations.controller';
import { ApiClientsController } from './merchant-api/api-clients.controller';
import { WebhookDeliveriesController } from './merchant-api/webhook-deliveries.controller';
import { SECRET_BOX, UNIT_OF_WORK } from '../persistence/persistence.tokens';
import type { SecretBox } from '../persistence/secret-box';
import type { UnitOfWork } from '../persistence/unit-of-work';
import { FORWARDING_RUNTIME, ReversalsModule } from '../reversals/delivery/reversals.module';
import type { ForwardingRuntime } from '../reversals/infrastructure/forwarding/forwarding-runtime';
import { TERMINAL_DIRECTORY } from '../terminal/terminal-directory.port';
import { SessionRegistry } from '../terminal/session-registry';
import { TerminalModule } from '../terminal/terminal.module';
import { AuditController } from './audit/audit.controller';
import { AuditTrail } from './audit/audit-trail';
import { MerchantsController, TerminalsController } from './catalog/catalog.controller';
import { Merchants } from './catalog/merchants.service';
import { Terminals, type ForgetsTerminals } from './catalog/terminals.service';
import { HealthController } from './health.controller';
import { AdminFallbackController } from './http/fallback.controller';
import { RoleGuard } from './http/role.guard';
import { InterventionsController } from './interventions/interventions.controller';
import { Interventions } from './interventions/interventions.service';
import { RefundRetry } from './interventions/refund-retry';
import { ApiKeyStore } from './keys/api-key-store';
import { ApiKeysController } from './keys/api-keys.controller';
import { CancelRequeue } from './queue/cancel-requeue';
import { ReversalQueue } from './queue/reversal-queue';
import { ReversalsController } from './queue/reversals.controller';
import { SessionBoard } from './sessions/session-board';
import { LiveSessions } from './sessions/live-sessions';
import { SessionsController } from './sessions/sessions.controller';
import { RefundIdempotency } from './transactions/refund-idempotency';
import { TransactionActions } from './transactions/transaction-actions';
import { TransactionQuery } from './transactions/transaction-query';
import { TransactionsController } from './transactions/transactions.controller';

/** Creates the `bootstrap` admin key from ADMIN_BOOTSTRAP_KEY when no admin key exists. */
@Injectable()
export class AdminKeyBootstrap implements OnApplicationBootstrap {
  constructor(
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const key = this.config.admin.bootstrapKey;
    if (key === undefined) return;
    if ((await this.keys.ensureBootstrap(key)) === 'created') this.logger.warn('admin key "bootstrap" created from ADMIN_BOOTSTRAP_KEY');
  }
}

@Module({
  imports: [PaymentsModule, ReversalsModule, TerminalModule],
  controllers: [
    HealthController,
    ApiKeysController,
    AuditController,
    TransactionsController,
    InterventionsController,
    ReversalsController,
    MerchantsController,
    TerminalsController,
    SessionsController,
    ReconciliationsController,
    NotificationsController,
    IsvTokensController,
    ApiClientsController,
    WebhookDeliveriesController,
    AdminFallbackController, // last: takes what no route above took
  ],
  providers: [
    RoleGuard,
    { provide: AuditTrail, inject: [UNIT_OF_WORK], useFactory: (uow: UnitOfWork) => new AuditTrail(uow) },
    { provide: ApiKeyStore, inject: [UNIT_OF_WORK, AuditTrail], useFactory: (uow: UnitOfWork, audit: AuditTrail) => new ApiKeyStore(uow, audit) },
    AdminKeyBootstrap,
    { provide: TransactionQuery, inject: [UNIT_OF_WORK], useFactory: (uow: UnitOfWork) => new TransactionQuery(uow) },
    { provide: RefundIdempotency, inject: [UNIT_OF_WORK], useFactory: (uow: UnitOfWork) => new RefundIdempotency(uow) },
    {
      provide: TransactionActions,
      inject: [PAYMENTS_ENGINE, PAYMENT_REPOSITORY, REFUND_REPOSITORY, RefundIdempotency, AuditTrail, APP_CONFIG],
      useFactory: (engine: PaymentsEngine, payments: PaymentRepository, refunds: RefundRepository, idempotency: RefundIdempotency, audit: AuditTrail, config: AppConfig) =>
        new TransactionActions(engine, payments, refunds, idempotency, audit, {
          // A terminal would wait its merchant timeout; an operator's refund waits for two Alipay calls' worth.
          refundWaitMs: 2 * config.timeouts.alipayCallTimeoutMs + 1_000,
        }),
    },
    {
      provide: CancelRequeue,
      inject: [UNIT_OF_WORK, FORWARDING_RUNTIME, AuditTrail],
      useFactory: (uow: UnitOfWork, runtime: ForwardingRuntime, audit: AuditTrail) => new CancelRequeue(uow, runtime, audit),
    },
    {
      provide: ReversalQueue,
      inject: [UNIT_OF_WORK, FORWARDING_RUNTIME],
      useFactory: (uow: UnitOfWork, runtime: ForwardingRuntime) => new ReversalQueue(uow, runtime.mode),
    },
    {
      provide: Interventions,
      inject: [UNIT_OF_WORK, PAYMENTS_ENGINE, PAYMENT_REPOSITORY, CancelRequeue, AuditTrail, REFUND_REPOSITORY],
      useFactory: (uow: UnitOfWork, engine: PaymentsEngine, payments: PaymentRepository, requeue: CancelRequeue, audit: AuditTrail, refunds: RefundRepository) =>
        new Interventions(uow, engine, payments, requeue, audit, new RefundRetry(uow, engine, refunds, audit)),
    },
    {
      provide: Merchants,
      inject: [UNIT_OF_WORK, AuditTrail, SECRET_BOX, MerchantCatalog],
      useFactory: (uow: UnitOfWork, audit: AuditTrail, secrets: SecretBox, catalog: MerchantCatalog) => new Merchants(uow, audit, secrets, catalog),
    },
    {
      provide: Terminals,
      inject: [UNIT_OF_WORK, AuditTrail, SECRET_BOX, TERMINAL_DIRECTORY, APP_CONFIG],
      useFactory: (uow: UnitOfWork, audit: AuditTrail, secrets: SecretBox, directory: ForgetsTerminals, config: AppConfig) =>
        new Terminals(uow, audit, secrets, directory, {
          gatewayTimeoutMs: config.timeouts.gatewayTimeoutMs,
          defaultMerchantTimeoutMs: config.timeouts.merchantTimeoutMs,
        }),
    },
    {
      provide: LiveSessions,
      inject: [SessionRegistry, AuditTrail, UNIT_OF_WORK, APP_CONFIG, LOGGER],
      useFactory: (signOns: SessionRegistry, audit: AuditTrail, uow: UnitOfWork, config: AppConfig, logger: Logger) => {
        const log = logger.child({ component: 'sessions' });
        // Several instances need MySQL; the embedded database is one instance, whose own links are all there is.
        const board = config.database.kind === 'mysql' ? new SessionBoard(uow, config.instance.id) : undefined;
        return new LiveSessions(signOns, audit, config.instance.id, board, (err) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'session board update failed'));
      },
    },
  ],
})
export class AdminModule {}
