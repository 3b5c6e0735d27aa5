import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdminModule } from './admin/admin.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { Logger } from './logging/logger';
import { LoggingModule } from './logging/logging.module';
import { H5Module } from './merchant-apps/h5/h5.module';
import { H5_PAY_API_EXTENSION } from './merchant-apps/h5/h5-pay-routes.module';
import { OperationsModule } from './operations/operations.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PaymentsModule } from './payments/delivery/payments.module';
import { PersistenceModule } from './persistence/persistence.module';
import { ReconciliationModule } from './reconciliation/delivery/reconciliation.module';
import type { SftpEndpoint } from './reconciliation/reconciliation.config';
import { ReversalsModule } from './reversals/delivery/reversals.module';
import { TerminalModule } from './terminal/terminal.module';
import { MerchantApiModule } from './merchant-api/merchant-api.module';

export interface AppModuleOptions {
  config: AppConfig;
  dataSource: DataSource;
  /** The Alipay sandbox merchants with endpoint "sandbox" are sent to. */
  sandboxUrl: string;
  logger: Logger;
  /** The embedded sandbox's SFTP server (reconciliation files), when it runs in this process. */
  sandboxSftp?: SftpEndpoint;
}

@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(options.config),
        LoggingModule.forLogger(options.logger),
        PersistenceModule.forDataSource(options.dataSource, options.sandboxUrl),
        TerminalModule,
        PaymentsModule,
        ReversalsModule,
        AdminModule,
        OperationsModule,
        NotificationsModule.register(options.sandboxUrl),
        ReconciliationModule.register({ sandboxUrl: options.sandboxUrl, sandboxSftp: options.sandboxSftp }),
        // Routes other capabilities add to /pay/v1 go in `extensions` (src/merchant-api/http/pay-api-extension.ts).
        MerchantApiModule.register({ extensions: [H5_PAY_API_EXTENSION] }),
        H5Module,
      ],
    };
  }
}
