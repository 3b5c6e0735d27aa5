/** Form parameters as both Alipay form protocols see them: absent and empty values are never signed. */
export type SignParams = Record<string, string | undefined>;

/** Sorted (ASCII, by UTF-16 code unit) `k=v&k=v` over non-empty values, raw (not URL-encoded), minus `excluded` keys. */
export function linkSorted(params: SignParams, excluded: readonly string[]): string {
  return Object.keys(params)
    .filter((k) => k.length > 0 && !excluded.includes(k))
    .filter((k) => {
      const v = params[k];
      return v !== undefined && v !== '';
    })
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${params[k] as string}`)
    .join('&');
}
