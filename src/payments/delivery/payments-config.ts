/** The engine's settings, read from the app's validated config. */
import type { AppConfig } from '../../config/app-config';
import { paymentsConfig, type PaymentsConfig } from '../application/payments.config';

export function paymentsConfigFrom(app: AppConfig, overrides: Partial<PaymentsConfig> = {}): PaymentsConfig {
  const intervals = app.inquiryIntervalsMs;
  return paymentsConfig({
    gatewayTimeoutMs: app.timeouts.gatewayTimeoutMs,
    replyMarginMs: app.timeouts.replyMarginMs,
    paymentCodeHashKey: app.secrets.paymentCodeHashKey,
    instanceId: app.instance.id,
    leaseMs: app.instance.leaseMs,
    soleInstance: app.database.kind === 'sqlite',
    inAppTerminalId: app.h5.terminalId,
    inquiryRhythms: {
      ams: { firstDelayMs: intervals.ams, intervalMs: intervals.ams },
      openapi: { firstDelayMs: intervals.openapi, intervalMs: intervals.openapi },
      mapi: { firstDelayMs: intervals.mapiFirst, intervalMs: intervals.mapi },
    },
    ...overrides,
  });
}
