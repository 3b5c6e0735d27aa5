import type { OpenapiAnswer } from '../openapi/openapi.answers';

/** The bill URL query's node as an Open Platform answer (the code recorded is the sub_code, if any). */
export function billAnswer(node: Record<string, string>): OpenapiAnswer {
  return { node, resultCode: node.sub_code ?? node.code ?? '10000' };
}
