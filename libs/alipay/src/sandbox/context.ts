import { AppUsers } from './app/app-users';
import { SandboxCredentials } from './credentials';
import { SandboxIds } from './ids';
import { SandboxKeys } from './keys';
import { Ledger } from './ledger';
import { IsvRegistry } from './isv/isv-registry';
import { IssuedNotifyIds } from './notify/issued-notify-ids';
import { SandboxLogger } from './options';
import { SandboxPayments } from './payments';
import type { SandboxStatements } from './statements/sandbox-statements';

/** What every protocol handler shares: one ledger, one state machine, the keys and the clock. */
export interface SandboxContext {
  credentials: SandboxCredentials;
  keys: SandboxKeys;
  ledger: Ledger;
  payments: SandboxPayments;
  ids: SandboxIds;
  now: () => Date;
  log: SandboxLogger;
  /** MAPI notify ids sent, for notify_verify. */
  issuedNotifyIds: IssuedNotifyIds;
  /** ISV authorizations (app_auth_token, Agent-Token) the trade calls are checked against. */
  isv: IsvRegistry;
  /** Reconciliation files and their planted discrepancies. */
  statements: SandboxStatements;
  /** The simulated Alipay app's users and the auth_codes issued to H5 pages. */
  appUsers: AppUsers;
}
