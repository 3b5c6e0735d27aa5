import { Body, Delete, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiProperty, ApiQuery } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { Actor } from '../http/actor.decorator';
import { AdminController, AdminRoute } from '../http/admin-route.decorator';
import { PageQueryDto, ReasonDto } from '../http/dto';
import { pageLimit, type Page } from '../http/paging';
import { ApiKeyStore, type ApiKeyView, type CreatedApiKey } from './api-key-store';
import { ADMIN_ROLES, type AdminActor, type AdminRole } from './roles';

class CreateApiKeyDto extends ReasonDto {
  @ApiProperty({ example: 'ops-alice', description: 'Who or what holds the key (letters, digits, . _ - @)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9._@-]+$/)
  name!: string;

  @ApiProperty({ enum: ADMIN_ROLES })
  @IsIn(ADMIN_ROLES)
  role!: AdminRole;
}

@AdminController('api-keys', 'API keys')
export class ApiKeysController {
  constructor(@Inject(ApiKeyStore) private readonly keys: ApiKeyStore) {}

  @Post()
  @AdminRoute({ role: 'admin', write: true, summary: 'Create an API key', description: 'The answer carries the key once; only its hash is stored.' })
  create(@Body() body: CreateApiKeyDto, @Actor() actor: AdminActor): Promise<CreatedApiKey> {
    return this.keys.create(body.name, body.role, actor);
  }

  @Get()
  @AdminRoute({ role: 'admin', summary: 'List API keys', description: 'Names, roles, creation and last use; never a key.' })
  list(@Query() query: PageQueryDto): Promise<Page<ApiKeyView>> {
    return this.keys.list(pageLimit(query.limit), query.cursor);
  }

  @Delete(':id')
  @ApiQuery({ name: 'reason', required: true, description: 'Why (kept in the audit trail)' })
  @AdminRoute({ role: 'admin', write: true, errors: [404, 409], summary: 'Revoke an API key', description: 'The last admin key cannot be revoked.' })
  revoke(@Param('id') id: string, @Actor() actor: AdminActor): Promise<ApiKeyView> {
    return this.keys.revoke(id, actor);
  }
}
