import { DynamicModule, Global, Module } from '@nestjs/common';
import { Logger } from './logger';

export const LOGGER = Symbol('LOGGER');

/** Hands every module the one logger the process was started with (bootstrap creates it). */
@Global()
@Module({})
export class LoggingModule {
  static forLogger(logger: Logger): DynamicModule {
    return { module: LoggingModule, global: true, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
  }
}
