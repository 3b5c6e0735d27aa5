/**
 * The Nest ISO listener alone (IsoServerStrategy + the network-management handlers, an in-memory terminal
 * directory), in this process: what bench:echo and bench:fuzz-heap measure.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { DialectName } from '@switch/iso8583';
import { InMemoryTerminalDirectory } from '../../src/terminal/in-memory-terminal-directory';
import type { IsoListenerOptions } from '../../src/terminal/iso-listener.options';
import { silentIsoLogger } from '../../src/terminal/iso-logger';
import { IsoServerStrategy } from '../../src/terminal/iso-server.strategy';
import { TerminalModule } from '../../src/terminal/terminal.module';

@Module({ imports: [TerminalModule] })
class ListenerBenchModule {}

export interface BenchListener {
  port: number;
  strategy: IsoServerStrategy;
  stop(): Promise<void>;
}

export async function startBenchListener(
  dialect: DialectName,
  terminalIds: readonly string[],
  options: Partial<Omit<IsoListenerOptions, 'listeners'>> = {},
): Promise<BenchListener> {
  const directory = new InMemoryTerminalDirectory(
    terminalIds.map((terminalId) => ({
      terminalId,
      merchantId: 'MERCHANT0000001',
      dialect,
      status: 'active' as const,
      merchantTimeoutMs: 60_000,
    })),
  );
  const strategy = new IsoServerStrategy(
    {
      listeners: [{ dialect, host: '127.0.0.1', port: 0 }],
      maxConnections: terminalIds.length * 2,
      idleTimeoutMs: 60_000,
      ...options,
    },
    directory,
    silentIsoLogger,
  );
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(ListenerBenchModule, {
    strategy,
    logger: false,
  });
  await app.listen();
  return { port: strategy.portOf(dialect), strategy, stop: () => app.close() };
}
