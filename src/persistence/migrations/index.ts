import { MerchantsTerminals1763776000000 } from './1763776000000-merchants-terminals';
import { Payments1763776100000 } from './1763776100000-payments';
import { Reversals1763776200000 } from './1763776200000-reversals';
import { Reconciliation1764600000000 } from './1764600000000-reconciliation';

/** In order; every schema change is a new migration, never `synchronize`. */
export const MIGRATIONS = [MerchantsTerminals1763776000000, Payments1763776100000, Reversals1763776200000, Reconciliation1764600000000];
