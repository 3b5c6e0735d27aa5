import { MerchantsTerminals1763776000000 } from './1763776000000-merchants-terminals';
import { Payments1763776100000 } from './1763776100000-payments';
import { Reversals1763776200000 } from './1763776200000-reversals';
import { Notifications1764500000000 } from './1764500000000-notifications';
import { IsvTokens1764500100000 } from './1764500100000-isv-tokens';

/** In order; every schema change is a new migration, never `synchronize`. */
export const MIGRATIONS = [MerchantsTerminals1763776000000, Payments1763776100000, Reversals1763776200000];
MIGRATIONS.push(Notifications1764500000000, IsvTokens1764500100000);
