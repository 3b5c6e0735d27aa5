/**
 * Message patterns the ISO transport dispatches on: `iso.` + the request MTI with the repeat digit cleared
 * (0200 and 0201 both go to `iso.0200`). Handlers are Nest controllers with `@MessagePattern(IsoPattern.X)`
 * returning `Promise<IsoMessage>` (the reply).
 */
export const IsoPattern = {
  NetworkManagement: 'iso.0800',
  Authorization: 'iso.0100',
  Financial: 'iso.0200',
  Reversal: 'iso.0400',
  ReversalAdvice: 'iso.0420',
} as const;

export type IsoPatternName = (typeof IsoPattern)[keyof typeof IsoPattern];

/** The pattern a request MTI dispatches to: repeat digit (last digit 1) cleared. */
export function patternForMti(mti: string): string {
  return `iso.${baseMti(mti)}`;
}

/** 0201 -> 0200, 0421 -> 0420; other MTIs unchanged. */
export function baseMti(mti: string): string {
  return mti.endsWith('1') ? `${mti.slice(0, 3)}0` : mti;
}

/** A retransmission carries 1 as the MTI's last digit (message origin "repeat"). */
export function isRepeatMti(mti: string): boolean {
  return mti.length === 4 && mti.endsWith('1');
}
