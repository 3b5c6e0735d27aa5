import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { createLogger, Logger } from './logger';

export const LOGGER = Symbol('LOGGER');

@Global()
@Module({
  providers: [{ provide: LOGGER, inject: [APP_CONFIG], useFactory: (config: AppConfig): Logger => createLogger(config.logLevel) }],
  exports: [LOGGER],
})
export class LoggingModule {}
