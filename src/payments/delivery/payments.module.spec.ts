import 'reflect-metadata';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Field, IsoMessage } from '@switch/iso8583';
import { loadConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { LOGGER } from '../../logging/logging.module';
import { createLogger } from '../../logging/logger';
import type { IsoRequest } from '../../terminal/iso-request';
import {
  MERCHANT_CHANNELS,
  PAYMENT_REPOSITORY,
  REFUND_REPOSITORY,
} from '../application/ports';
import {
  aPayment,
  demoMerchant,
  InMemoryMerchantChannels,
  InMemoryPaymentsDb,
  outcomes,
  ScriptedChannel,
} from '../testing';
import { FinancialHandler } from './financial-handler';
import { PAYMENTS_ENGINE, PaymentsModule } from './payments.module';
import type { PaymentsEngine } from '../application/payments-engine';

describe('PaymentsModule', () => {
  const db = new InMemoryPaymentsDb();
  const channel = new ScriptedChannel('ams');
  const merchant = demoMerchant();
  let app: INestApplicationContext;

  @Global()
  @Module({
    providers: [
      { provide: APP_CONFIG, useValue: loadConfig({ GATEWAY_TIMEOUT_MS: '75000' }) },
      { provide: LOGGER, useValue: createLogger('silent') },
      { provide: PAYMENT_REPOSITORY, useValue: db.payments },
      { provide: REFUND_REPOSITORY, useValue: db.refunds },
      { provide: MERCHANT_CHANNELS, useValue: new InMemoryMerchantChannels({ ams: channel }, [merchant]) },
    ],
    exports: [
      APP_CONFIG,
      LOGGER,
      PAYMENT_REPOSITORY,
      REFUND_REPOSITORY,
      MERCHANT_CHANNELS,
    ],
  })
  class PortsModule {}

  @Module({ imports: [PortsModule, PaymentsModule] })
  class RootModule {}

  beforeAll(async () => {
    // An unfinished payment from "before the restart", past its gateway timeout.
    db.paymentRows.set(
      'old',
      aPayment({
        id: 'old',
        merchantId: merchant.merchantId,
        state: 'AWAITING_ALIPAY',
        gatewayDeadlineAt: new Date(Date.now() - 1),
      }),
    );
    app = await NestFactory.createApplicationContext(RootModule, { logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
  });

  it('resumes unfinished payments on bootstrap', async () => {
    for (let i = 0; i < 50 && db.payment('old')!.state !== 'CANCEL_REQUESTED'; i++)
      await new Promise((r) => setImmediate(r));
    expect(db.payment('old')).toMatchObject({
      state: 'CANCEL_REQUESTED',
      cancelReason: 'in-doubt-on-resume',
    });
  });

  it('routes 0200 through the controller to the engine', async () => {
    channel.script('pay', outcomes.success());
    const now = new Date();
    const message = new IsoMessage('0200', {
      [Field.ProcessingCode]: '000000',
      [Field.AmountTransaction]: '000000000250',
      [Field.Stan]: '000777',
      [Field.LocalTime]: '101500',
      [Field.LocalDate]: '0115',
      [Field.TerminalId]: 'TERM0001',
      [Field.MerchantId]: merchant.merchantId,
      [Field.AdditionalDataPrivate]: '281234567890123456',
      [Field.CurrencyCode]: '392',
    });
    const request: IsoRequest = {
      message,
      terminal: {
        terminalId: 'TERM0001',
        merchantId: merchant.merchantId,
        dialect: 'ascii',
        status: 'active',
        merchantTimeoutMs: 60_000,
      },
      dialect: 'ascii',
      receivedAt: now,
      deadlineAt: now.getTime() + 60_000,
      repeat: false,
      connectionId: 'c',
      delivery: Promise.resolve(true),
    };
    const reply = await app.get(FinancialHandler).handle(request);
    expect(reply.get(Field.ResponseCode)).toBe('00');
    expect(channel.callsOf('pay')[0].amount).toEqual({ amountMinor: 250, currency: 'JPY' });
    const engine = app.get<PaymentsEngine>(PAYMENTS_ENGINE);
    expect(engine.timers.armed().gatewayTimeouts).toBe(1);
  });
});
