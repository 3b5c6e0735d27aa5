/** The three Alipay protocols the sandbox speaks on one port. */
export type SandboxProtocol = 'ams' | 'openapi' | 'mapi';

export const SANDBOX_PROTOCOLS: readonly SandboxProtocol[] = ['ams', 'openapi', 'mapi'];
