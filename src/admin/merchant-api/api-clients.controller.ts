import { Body, Delete, Get, Inject, Param, Query } from '@nestjs/common';
import { Post } from '@nestjs/common';
import { ApiProperty, ApiQuery } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { ApiClientStore, type ApiClientView } from '../../merchant-api/clients/api-client-store';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { UNIT_OF_WORK } from '../../persistence/persistence.tokens';
import { AuditTrail } from '../audit/audit-trail';
import { Actor } from '../http/actor.decorator';
import { AdminController, AdminRoute } from '../http/admin-route.decorator';
import { PageQueryDto, ReasonDto } from '../http/dto';
import { pageByDescendingId, type Page } from '../http/paging';
import { conflict, notFound } from '../http/problem';
import type { AdminActor } from '../keys/roles';

class CreateApiClientDto extends ReasonDto {
  @ApiProperty({ example: 'pos-app-prod', description: 'What the client is (letters, digits, . _ - @)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9._@-]+$/)
  name!: string;
}

/** Merchant API clients (/pay/v1): created with their secret shown once, listed, revoked. */
@AdminController('merchants', 'Merchant API clients')
export class ApiClientsController {
  constructor(
    @Inject(ApiClientStore) private readonly clients: ApiClientStore,
    @Inject(AuditTrail) private readonly audit: AuditTrail,
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
  ) {}

  @Post(':merchantId/api-clients')
  @AdminRoute({
    role: 'admin',
    write: true,
    errors: [404],
    summary: 'Create a merchant API client',
    description: 'The answer carries the client secret once; it is stored sealed. Requests to /pay/v1 are signed with it.',
  })
  create(@Param('merchantId') merchantId: string, @Body() body: CreateApiClientDto, @Actor() actor: AdminActor): Promise<ApiClientView & { clientSecret: string }> {
    return this.uow.run(async (m) => {
      const created = await this.clients.create(m, merchantId, body.name, actor.name);
      if (!created) throw notFound(`no merchant ${merchantId}`);
      await this.audit.append(m, actor, { action: 'merchant-api-client.create', targetType: 'merchant-api-client', targetId: created.view.clientId, after: created.view });
      return { ...created.view, clientSecret: created.secret };
    });
  }

  @Get(':merchantId/api-clients')
  @AdminRoute({ role: 'admin', summary: 'List a merchant’s API clients, newest first', description: 'Never a secret.' })
  list(@Param('merchantId') merchantId: string, @Query() query: PageQueryDto): Promise<Page<ApiClientView>> {
    return pageByDescendingId(query, (window) => this.clients.list(merchantId, window));
  }

  @Delete(':merchantId/api-clients/:clientId')
  @ApiQuery({ name: 'reason', required: true, description: 'Why (kept in the audit trail)' })
  @AdminRoute({ role: 'admin', write: true, errors: [404, 409], summary: 'Revoke a merchant API client', description: 'Its requests get 401 from then on.' })
  revoke(@Param('merchantId') merchantId: string, @Param('clientId') clientId: string, @Actor() actor: AdminActor): Promise<ApiClientView> {
    return this.uow.run(async (m) => {
      const before = await this.clients.find(m, merchantId, clientId);
      if (!before) throw notFound(`merchant ${merchantId} has no API client ${clientId}`);
      if (before.revokedAt) throw conflict(`API client ${clientId} is revoked already`);
      await this.clients.revoke(m, clientId);
      const after = (await this.clients.find(m, merchantId, clientId))!;
      await this.audit.append(m, actor, { action: 'merchant-api-client.revoke', targetType: 'merchant-api-client', targetId: clientId, before, after });
      return after;
    });
  }
}
