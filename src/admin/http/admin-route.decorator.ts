/**
 * Two decorators carry every cross-cutting rule of the admin API, so a controller method is one line:
 * `AdminController` (base path, problem filter, role guard, validation, OpenAPI tag and auth) and
 * `AdminRoute` (the role a route needs and the problems it can answer, for the guard and the docs alike).
 */
import {
  applyDecorators,
  Controller,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { RefusalAuditor } from '../audit/refusal-auditor';
import type { AdminRole } from '../keys/roles';
import { badRequest } from './problem';
import { ProblemFilter } from './problem.filter';
import { RequiresRole, RoleGuard } from './role.guard';

export const ADMIN_BASE_PATH = 'admin/v1';

export class ProblemDto {
  @ApiProperty({ example: 'https://switch.example/problems/conflict' }) type!: string;
  @ApiProperty({ example: 'Conflict with the current state' }) title!: string;
  @ApiProperty({ example: 409 }) status!: number;
  @ApiProperty({ example: 'the payment is CANCELLED: there is no cancel to drive' }) detail!: string;
  @ApiPropertyOptional({ example: '/admin/v1/interventions/7/retry' }) instance?: string;
  @ApiPropertyOptional({ type: [String], description: 'fields at fault (400)' }) errors?: string[];
}

export const validation = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors: ValidationError[]) =>
    badRequest(
      'the request does not follow the schema',
      errors.flatMap((e) => Object.values(e.constraints ?? { [e.property]: `${e.property} is invalid` })),
    ),
});

export function AdminController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(`${ADMIN_BASE_PATH}/${path}`),
    UseFilters(ProblemFilter),
    UseGuards(RoleGuard),
    UsePipes(validation),
    ApiTags(tag),
    ApiBearerAuth(),
    ApiExtraModels(ProblemDto),
  );
}

const WHY: Record<number, string> = {
  400: 'the request is malformed, or a write has no reason',
  401: 'no API key, or an unknown or revoked one',
  403: 'the key’s role is too low for this route',
  404: 'no such resource',
  409: 'conflicts with the current state (or with what Alipay says)',
  422: 'refused by a business rule',
  502: 'Alipay gave no usable answer',
};

export interface AdminRouteSpec {
  role: AdminRole;
  summary: string;
  description?: string;
  /** Problems this route can answer besides 400, 401 and 403. */
  errors?: number[];
  /** A write: it needs a reason and leaves one audit entry. */
  write?: boolean;
}

export function AdminRoute(spec: AdminRouteSpec): MethodDecorator {
  const statuses = [400, 401, 403, ...(spec.errors ?? [])];
  const notes = [
    `Role: **${spec.role}** or above.`,
    spec.write ? 'A write: needs a non-empty `reason` and leaves one audit entry.' : undefined,
    spec.description,
  ].filter(Boolean);
  return applyDecorators(
    ...(spec.write ? [UseInterceptors(RefusalAuditor)] : []),
    RequiresRole(spec.role),
    ApiOperation({ summary: spec.summary, description: notes.join(' ') }),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: WHY[status],
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
