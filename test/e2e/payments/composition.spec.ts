import { ModulesContainer } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import type { PaymentsEngine } from '../../../src/payments/application/payments-engine';
import * as paymentTokens from '../../../src/payments/application/ports/tokens';
import * as persistenceTokens from '../../../src/persistence/persistence.tokens';
import { ReversalService } from '../../../src/reversals/application/reversal.service';
import * as reversalTokens from '../../../src/reversals/application/ports/tokens';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';

/** The real switch's wiring: one composition root, handlers that are the controllers, no orphan tokens. */
describe('composition of the running switch (embedded SQLite)', () => {
  let sut: SwitchUnderTest;

  beforeAll(async () => {
    sut = await startTestSwitch('sqlite');
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('provides every injection token the payments, reversals and persistence modules declare', () => {
    const tokens = { ...paymentTokens, ...reversalTokens, ...persistenceTokens };
    const missing = Object.entries(tokens)
      .filter(([, token]) => typeof token === 'symbol')
      .filter(([, token]) => {
        try {
          return sut.running.app.get(token, { strict: false }) === undefined;
        } catch {
          return true;
        }
      })
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('dispatches 0100/0200 and 0400/0420 straight to their handlers: no controller in between', () => {
    const isoControllers: Record<string, string[]> = {};
    for (const module of sut.running.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const prototype = (wrapper.metatype as { prototype: object }).prototype;
        for (const key of Object.getOwnPropertyNames(prototype)) {
          const method = (prototype as Record<string, unknown>)[key];
          const patterns: unknown =
            typeof method === 'function' ? Reflect.getMetadata(PATTERN_METADATA, method) : undefined;
          if (!Array.isArray(patterns)) continue;
          const iso = patterns.filter((p): p is string => typeof p === 'string' && p.startsWith('iso.'));
          if (iso.length > 0) isoControllers[`${wrapper.name}.${key}`] = iso.sort();
        }
      }
    }
    expect(isoControllers).toMatchObject({
      'FinancialHandler.handle': ['iso.0100', 'iso.0200'],
      'ReversalHandler.handle': ['iso.0400', 'iso.0420'],
    });
    const payments = Object.entries(isoControllers).filter(([, p]) => p.some((x) => x !== 'iso.0800'));
    expect(payments.map(([name]) => name).sort()).toEqual([
      'FinancialHandler.handle',
      'ReversalHandler.handle',
    ]);
  });

  it('builds the reversals on the engine it shares with the payments: one original locator, one cancellation', () => {
    const engine = sut.running.app.get<PaymentsEngine>(paymentTokens.PAYMENTS_ENGINE, { strict: false });
    // Private fields, read as what they are: the parts the service was built with.
    const parts = Object.values(sut.running.app.get(ReversalService, { strict: false }));
    expect(parts).toContain(engine.originals);
    expect(parts).toContain(engine.cancellation);
  });
});
