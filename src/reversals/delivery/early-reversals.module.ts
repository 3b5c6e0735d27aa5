import { Global, Module } from '@nestjs/common';
import { systemClock } from '../../payments/application/system-time';
import { EARLY_REVERSALS } from '../../payments/application/ports/tokens';
import { SQL_SESSION, UNIT_OF_WORK } from '../../persistence/persistence.tokens';
import type { SqlSession } from '../../persistence/sql';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { EarlyReversalCheck } from '../application/early-reversal-check';
import type { EarlyReversalStore } from '../application/ports/early-reversal.store.port';
import { EARLY_REVERSAL_STORE } from '../application/ports/tokens';
import { TypeOrmEarlyReversalStore } from '../infrastructure/typeorm/typeorm-early-reversal.store';

/**
 * The stored early reversals, for the payments engine (EARLY_REVERSALS: a purchase whose reversal came
 * first is refused) and the reversal service. Global and free of imports, so the payments module can take
 * it without importing the reversals module, which itself imports the payments module.
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
  ],
  exports: [EARLY_REVERSAL_STORE, EARLY_REVERSALS],
})
export class EarlyReversalsModule {}
