import { MerchantsTerminals1763776000000 } from './1763776000000-merchants-terminals';
import { Payments1763776100000 } from './1763776100000-payments';
import { Reversals1763776200000 } from './1763776200000-reversals';
import { TerminalAllowedNetworks1764300000000 } from './1764300000000-terminal-allowed-networks';
import { RefundDayTotals1764300100000 } from './1764300100000-refund-day-totals';
import { AdminApi1764400000000 } from './1764400000000-admin-api';
import { Notifications1764500000000 } from './1764500000000-notifications';
import { IsvTokens1764500100000 } from './1764500100000-isv-tokens';
import { Reconciliation1764600000000 } from './1764600000000-reconciliation';
import { MerchantLimits1764700000000 } from './1764700000000-merchant-limits';
import { ReconciliationFileKinds1764710000000 } from './1764710000000-reconciliation-file-kinds';
import { Instances1764720000000 } from './1764720000000-instances';
import { MerchantApi1764730000000 } from './1764730000000-merchant-api';
import { MerchantTimeZone1764740000000 } from './1764740000000-merchant-time-zone';
import { RefundOwners1764750000000 } from './1764750000000-refund-owners';

/** In order; every schema change is a new migration, never `synchronize`. */
export const MIGRATIONS = [
  MerchantsTerminals1763776000000,
  Payments1763776100000,
  Reversals1763776200000,
  TerminalAllowedNetworks1764300000000,
  RefundDayTotals1764300100000,
  AdminApi1764400000000,
  Notifications1764500000000,
  IsvTokens1764500100000,
  Reconciliation1764600000000,
  MerchantLimits1764700000000,
  ReconciliationFileKinds1764710000000,
  Instances1764720000000,
  MerchantApi1764730000000,
  MerchantTimeZone1764740000000,
  RefundOwners1764750000000,
];
