/** The operations steps bootstrap.ts runs around Nest: the credential check and the terminal meters. */
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import type { Logger } from '../../logging/logger';
import { MerchantCatalog } from '../../persistence/merchant-catalog';
import { UNIT_OF_WORK } from '../../persistence/persistence.tokens';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { IsoReplyObserver } from '../../terminal/iso-reply-observer';
import { IsoReplyMeter } from '../metrics/iso-reply-meter';
import { SwitchMetrics } from '../metrics/switch-metrics';
import { BadCredentialsError, findBadCredentials } from './credential-check';

/** Logs every active merchant whose credentials do not load; throws when REQUIRE_VALID_CREDENTIALS holds. */
export async function checkCredentialsAtStart(
  app: INestApplication,
  config: AppConfig,
  logger: Logger,
): Promise<void> {
  const bad = await findBadCredentials(app.get<UnitOfWork>(UNIT_OF_WORK), app.get(MerchantCatalog));
  if (bad.length === 0) return;
  for (const { merchantId, problem } of bad)
    logger.error({ merchantId, problem }, 'merchant credentials do not load: its payments would fail');
  if (config.operations.requireValidCredentials) throw new BadCredentialsError(bad);
}

/** The reply observer for the ISO server, and the connected-terminals gauge reading from it. */
export function terminalMeters(app: INestApplication): {
  observer: IsoReplyObserver;
  watchConnections(count: () => number): void;
} {
  const metrics = app.get(SwitchMetrics);
  return {
    observer: new IsoReplyMeter(metrics),
    watchConnections: (count) => metrics.watchConnections(count),
  };
}
