export { startSandbox } from './sandbox';
export type { SandboxOptions, RunningSandbox, SandboxLogger } from './options';
export {
  DEFAULT_NOTIFY_RETRY_DELAYS_MS,
  DEFAULT_SANDBOX_HOST,
  DEFAULT_SANDBOX_PORT,
  SandboxOptionsError,
} from './options';
export type { SandboxCredentials } from './credentials';
export { loadSandboxCredentials, SandboxCredentialsError, SANDBOX_CREDENTIALS_PATH } from './credentials';
export type { SandboxFaults } from './faults';
export type { SandboxPaymentStatus, SandboxPaymentView } from './ledger';
export type { SandboxProtocol } from './protocol';
export type { Scenario } from './scenario';
export { scenarioOf, isValidPaymentCode, maskPaymentCode } from './scenario';
