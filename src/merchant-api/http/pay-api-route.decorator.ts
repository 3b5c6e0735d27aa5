/**
 * The decorators every /pay/v1 controller wears, the merchant API's counterpart of AdminController and
 * AdminRoute: base path, problem filter, validation, OpenAPI tag and the signature headers, so a controller
 * method is one line. Authentication and Idempotency-Key are not here: they run before routing
 * (authenticate-client.ts, idempotency.ts), for every route.
 */
import { applyDecorators, Controller, UseFilters, UsePipes } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOperation, ApiResponse, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ProblemDto, validation } from '../../admin/http/admin-route.decorator';
import { ProblemFilter } from '../../admin/http/problem.filter';
import { PAY_BASE_PATH } from './pay-request';

export const PAY_API_SECURITY = 'signature';

export function PayApiController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(`${PAY_BASE_PATH}/${path}`),
    UseFilters(ProblemFilter),
    UsePipes(validation),
    ApiTags(tag),
    ApiSecurity(PAY_API_SECURITY),
    ApiExtraModels(ProblemDto),
    ApiHeader({ name: 'Client-Id', required: true, description: 'The API client id' }),
    ApiHeader({ name: 'Request-Time', required: true, description: 'ISO 8601 UTC, within PAY_API_CLOCK_SKEW_MS of the switch’s clock' }),
    ApiHeader({ name: 'Signature', required: true, description: '`algorithm=HMAC-SHA256, keyVersion=1, signature=<base64url>` (docs/merchant-api.md)' }),
  );
}

const WHY: Record<number, string> = {
  400: 'malformed request, or a POST without Idempotency-Key',
  401: 'unsigned, wrongly signed, unknown or revoked client, or a stale Request-Time',
  404: 'no such payment for this merchant',
  409: 'conflicts with the current state (or the same Idempotency-Key still running)',
  422: 'refused by a business rule, or an Idempotency-Key reused for another request',
  502: 'Alipay gave no usable answer',
};

export interface PayApiRouteSpec {
  summary: string;
  description?: string;
  /** Problems besides 400 and 401. */
  errors?: number[];
  /** A POST: Idempotency-Key is required. */
  post?: boolean;
  /** A runnable example: the `npm run pay-sign` arguments that print the signed curl command. */
  example: string;
}

export function PayApiRoute(spec: PayApiRouteSpec): MethodDecorator {
  const statuses = [400, 401, ...(spec.errors ?? [])];
  return applyDecorators(
    ApiOperation({
      summary: spec.summary,
      description: [spec.description, `Try it (prints the signed curl command): \`npm run -s pay-sign -- ${spec.example}\``].filter(Boolean).join('\n\n'),
    }),
    ...(spec.post ? [ApiHeader({ name: 'Idempotency-Key', required: true, description: '8-128 printable characters; a repeat with the same body gets the first answer' })] : []),
    ...statuses.map((status) =>
      ApiResponse({ status, description: WHY[status], content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } } }),
    ),
  );
}
