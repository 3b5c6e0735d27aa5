import { randomBytes } from 'node:crypto';

/** One Open Platform app authorization: a merchant app (auth_app_id) lets the ISV app act for it. */
export interface AppGrant {
  authAppId: string;
  userId: string;
  appAuthCode: string;
  appAuthToken: string;
  appRefreshToken: string;
  authTime: number;
  /** Seconds from authTime; the token is refused afterwards. */
  expiresIn: number;
  reExpiresIn: number;
  codeUsed: boolean;
  revoked: boolean;
}

/** One AMS agent token: a merchant (authClientId) lets the ISV send its calls with Agent-Token. */
export interface AgentGrant {
  authClientId: string;
  accessToken: string;
  authTime: number;
  expiresAt?: number;
  revoked: boolean;
}

const YEAR_SECONDS = 365 * 24 * 3600;
const token = (prefix: string): string => `${prefix}${randomBytes(16).toString('hex')}`;

/**
 * The sandbox's ISV authorizations. A token issued here is honoured only while valid (not revoked, not
 * expired). A merchant marked ISV-authorized (by the reference its pay calls carry: AMS
 * referenceMerchantId, Open Platform store_id) must present a valid one; other callers' tokens that the
 * sandbox never issued are let through, as before ISV support.
 */
export class IsvRegistry {
  private readonly apps = new Map<string, AppGrant>();
  private readonly agents = new Map<string, AgentGrant>();
  private readonly isvMerchants = new Set<string>();

  constructor(private readonly now: () => Date) {}

  authorizeApp(authAppId: string, expiresIn = YEAR_SECONDS): AppGrant {
    const grant: AppGrant = {
      authAppId,
      userId: `2088${String(Number.parseInt(authAppId.slice(-8), 10) || 1).padStart(12, '0')}`,
      appAuthCode: token('code'),
      appAuthToken: token('202601BB'),
      appRefreshToken: token('202601RR'),
      authTime: this.now().getTime(),
      expiresIn,
      reExpiresIn: expiresIn + 7 * 24 * 3600,
      codeUsed: false,
      revoked: false,
    };
    this.revokeApp(authAppId);
    this.apps.set(authAppId, grant);
    return grant;
  }

  revokeApp(authAppId: string): AppGrant | undefined {
    const grant = this.apps.get(authAppId);
    if (grant) grant.revoked = true;
    return grant;
  }

  /** alipay.open.auth.token.app: a code is single-use; a refresh issues a new token pair. */
  exchange(
    grantType: string,
    value: string | undefined,
  ): AppGrant | 'invalid-code' | 'invalid-refresh' | 'invalid-grant' {
    if (grantType === 'authorization_code') {
      const grant = [...this.apps.values()].find((g) => g.appAuthCode === value && !g.revoked);
      if (!grant || grant.codeUsed) return 'invalid-code';
      grant.codeUsed = true;
      return grant;
    }
    if (grantType === 'refresh_token') {
      const grant = [...this.apps.values()].find((g) => g.appRefreshToken === value && !g.revoked);
      if (!grant) return 'invalid-refresh';
      grant.appAuthToken = token('202601BB');
      grant.appRefreshToken = token('202601RR');
      grant.authTime = this.now().getTime();
      return grant;
    }
    return 'invalid-grant';
  }

  userOfAppToken(value: string): string | undefined {
    return [...this.apps.values()].find((g) => g.appAuthToken === value)?.userId;
  }

  markIsvMerchant(tradeMerchant: string): void {
    this.isvMerchants.add(tradeMerchant);
  }

  /** Whether a trade call with this app_auth_token (or none) from this merchant reference is served. */
  appTokenAccepted(value: string | undefined, tradeMerchant: string | undefined): boolean {
    const grant =
      value === undefined ? undefined : [...this.apps.values()].find((g) => g.appAuthToken === value);
    if (!grant) return !this.isvMerchants.has(tradeMerchant ?? '');
    return !grant.revoked && this.now().getTime() < grant.authTime + grant.expiresIn * 1000;
  }

  authorizeAgent(authClientId: string, expiresAt?: number): AgentGrant {
    this.revokeAgent(authClientId);
    const grant: AgentGrant = {
      authClientId,
      accessToken: token('AGT'),
      authTime: this.now().getTime(),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      revoked: false,
    };
    this.agents.set(authClientId, grant);
    return grant;
  }

  revokeAgent(authClientId: string): AgentGrant | undefined {
    const grant = this.agents.get(authClientId);
    if (grant) grant.revoked = true;
    return grant;
  }

  /** Whether a trade call with this Agent-Token (or none) from this merchant reference is served. */
  agentTokenAccepted(value: string | undefined, tradeMerchant: string | undefined): boolean {
    const grant =
      value === undefined ? undefined : [...this.agents.values()].find((g) => g.accessToken === value);
    if (!grant) return !this.isvMerchants.has(tradeMerchant ?? '');
    return !grant.revoked && (grant.expiresAt === undefined || this.now().getTime() < grant.expiresAt);
  }

  /** What the control API shows: never the tokens themselves. */
  view(): object {
    return {
      apps: [...this.apps.values()].map((g) => ({
        authAppId: g.authAppId,
        userId: g.userId,
        authTime: g.authTime,
        revoked: g.revoked,
      })),
      agents: [...this.agents.values()].map((g) => ({
        authClientId: g.authClientId,
        authTime: g.authTime,
        revoked: g.revoked,
      })),
    };
  }
}
