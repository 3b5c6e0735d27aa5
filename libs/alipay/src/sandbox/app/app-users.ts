import { randomBytes, randomInt } from 'node:crypto';

// An auth_code is good for one exchange and a few minutes, as Alipay's are.
const AUTH_CODE_TTL_MS = 5 * 60_000;

interface Issued {
  userId: string;
  expiresAt: number;
}

/**
 * The customers of the simulated Alipay app: the auth_codes ap.getAuthCode hands an H5 page and the user
 * each one names, redeemed once by alipay.system.oauth.token.
 */
export class AppUsers {
  private readonly codes = new Map<string, Issued>();

  constructor(private readonly now: () => Date) {}

  /** A new user (2088 and 12 digits, like Alipay's user ids) unless the caller names one. */
  issueAuthCode(userId: string = newUserId()): { authCode: string; userId: string } {
    this.dropExpired();
    const authCode = randomBytes(16).toString('hex');
    this.codes.set(authCode, { userId, expiresAt: this.now().getTime() + AUTH_CODE_TTL_MS });
    return { authCode, userId };
  }

  /** The user the code names, once; undefined when unknown, used or expired. */
  redeem(authCode: string): string | undefined {
    const issued = this.codes.get(authCode);
    this.codes.delete(authCode);
    return issued && issued.expiresAt > this.now().getTime() ? issued.userId : undefined;
  }

  private dropExpired(): void {
    const now = this.now().getTime();
    for (const [code, issued] of this.codes) if (issued.expiresAt <= now) this.codes.delete(code);
  }
}

export const isUserId = (value: string): boolean => /^2088\d{12}$/.test(value);

function newUserId(): string {
  return `2088${String(randomInt(0, 1_000_000)).padStart(6, '0')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}
