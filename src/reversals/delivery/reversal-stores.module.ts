import { Global, Module } from '@nestjs/common';
import { systemClock } from '../../payments/application/system-time';
import { EARLY_REVERSALS, MANUAL_INTERVENTIONS } from '../../payments/application/ports/tokens';
import { SQL_SESSION, UNIT_OF_WORK } from '../../persistence/persistence.tokens';
import type { SqlSession } from '../../persistence/sql';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { EarlyReversalCheck } from '../application/early-reversal-check';
import type { EarlyReversalStore } from '../application/ports/early-reversal.store.port';
import { EARLY_REVERSAL_STORE } from '../application/ports/tokens';
import { TypeOrmEarlyReversalStore } from '../infrastructure/typeorm/typeorm-early-reversal.store';
import { TypeOrmManualInterventions } from '../infrastructure/typeorm/typeorm-manual-interventions';

/**
 * The reversals' stores the payments engine needs too: stored early reversals (EARLY_REVERSALS: a
 * purchase whose reversal came first is refused) and the manual-intervention list (MANUAL_INTERVENTIONS:
 * cancels given up on). Global and free of imports, so the payments module can take them without
 * importing the reversals module, which itself imports the payments module.
 */
@Global()
@Module({
  providers: [
    {
      provide: EARLY_REVERSAL_STORE,
      inject: [UNIT_OF_WORK, SQL_SESSION],
      useFactory: (uow: UnitOfWork, sql: SqlSession) => new TypeOrmEarlyReversalStore(uow, sql),
    },
    {
      provide: EARLY_REVERSALS,
      inject: [EARLY_REVERSAL_STORE],
      useFactory: (store: EarlyReversalStore) => new EarlyReversalCheck(store, systemClock),
    },
    {
      provide: MANUAL_INTERVENTIONS,
      inject: [UNIT_OF_WORK],
      useFactory: (uow: UnitOfWork) => new TypeOrmManualInterventions(uow),
    },
  ],
  exports: [EARLY_REVERSAL_STORE, EARLY_REVERSALS, MANUAL_INTERVENTIONS],
})
export class ReversalStoresModule {}
