import { Body, Delete, Get, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiQuery } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsTimeZone, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { Actor } from '../http/actor.decorator';
import { AdminController, AdminRoute } from '../http/admin-route.decorator';
import { PageQueryDto, ReasonDto } from '../http/dto';
import { pageLimit } from '../http/paging';
import type { AdminActor } from '../keys/roles';
import { MerchantLimitsDto } from './merchant-limits';
import { Merchants, type MerchantStatus } from './merchants.service';
import { Terminals, type TerminalStatus } from './terminals.service';

const MERCHANT_STATUSES: MerchantStatus[] = ['active', 'suspended'];
const TERMINAL_STATUSES: TerminalStatus[] = ['active', 'suspended'];
const DIALECTS = ['ascii', 'nac-bcd'] as const;

class MerchantPatchDto extends ReasonDto {
  @ApiPropertyOptional({ maxLength: 128 }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) name?: string;
  @ApiPropertyOptional({ example: '5812' }) @IsOptional() @Matches(/^\d{4}$/) mcc?: string;
  @ApiPropertyOptional({ maxLength: 64 }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) storeId?: string;
  @ApiPropertyOptional({ maxLength: 128 }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) storeName?: string;
  @ApiPropertyOptional({ description: 'Alipay gateway base URL, or "sandbox"', example: 'sandbox' })
  @IsOptional()
  @Matches(/^(sandbox|https?:\/\/\S{1,240})$/)
  endpoint?: string;
  @ApiPropertyOptional({ enum: MERCHANT_STATUSES }) @IsOptional() @IsIn(MERCHANT_STATUSES) status?: MerchantStatus;
  @ApiPropertyOptional({ example: 'Asia/Shanghai', description: 'IANA time zone of the merchant’s receipts (local time); default UTC' }) @IsOptional() @IsTimeZone() timeZone?: string;
  @ApiPropertyOptional({ type: MerchantLimitsDto, description: 'The merchant’s own limits; each a whole number ≥ 0 or null (none of its own). 400 names any bad one' })
  @IsOptional()
  @IsObject()
  limits?: Record<string, unknown>;
}

class CredentialsDto extends ReasonDto {
  @ApiProperty({
    description:
      'Write-only. ams: {channel, clientId, merchantPrivateKey, alipayPublicKey, keyVersion?}; openapi: {channel, appId, merchantPrivateKey, alipayPublicKey, signType?}; mapi: {channel, partner, signType, md5Key? | merchantPrivateKey?, alipayPublicKey?}. Sets the merchant’s channel.',
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  credentials!: Record<string, unknown>;
}

class MerchantCreateDto extends CredentialsDto {
  @ApiProperty({ example: 'MERCHANT0000009', description: 'Field 42: up to 15 characters' }) @Matches(/^[A-Za-z0-9]{1,15}$/) merchantId!: string;
  @ApiProperty({ maxLength: 128 }) @IsString() @IsNotEmpty() @MaxLength(128) name!: string;
  @ApiProperty({ example: '5812' }) @Matches(/^\d{4}$/) mcc!: string;
  @ApiProperty({ maxLength: 64 }) @IsString() @IsNotEmpty() @MaxLength(64) storeId!: string;
  @ApiProperty({ maxLength: 128 }) @IsString() @IsNotEmpty() @MaxLength(128) storeName!: string;
  @ApiProperty({ example: 'sandbox' }) @Matches(/^(sandbox|https?:\/\/\S{1,240})$/) endpoint!: string;
  @ApiPropertyOptional({ enum: MERCHANT_STATUSES }) @IsOptional() @IsIn(MERCHANT_STATUSES) status?: MerchantStatus;
  @ApiPropertyOptional({ example: 'Asia/Shanghai', description: 'IANA time zone of the merchant’s receipts (local time); default UTC' }) @IsOptional() @IsTimeZone() timeZone?: string;
  @ApiPropertyOptional({ type: MerchantLimitsDto, description: 'The merchant’s own limits; each a whole number ≥ 0 or null (none of its own). 400 names any bad one' })
  @IsOptional()
  @IsObject()
  limits?: Record<string, unknown>;
}

class TerminalPatchDto extends ReasonDto {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Za-z0-9]{1,15}$/) merchantId?: string;
  @ApiPropertyOptional({ enum: DIALECTS }) @IsOptional() @IsIn(DIALECTS) dialect?: (typeof DIALECTS)[number];
  @ApiPropertyOptional({ enum: TERMINAL_STATUSES, description: 'suspended: 58 from its next message on' }) @IsOptional() @IsIn(TERMINAL_STATUSES) status?: TerminalStatus;
  @ApiPropertyOptional({ description: 'Must be below GATEWAY_TIMEOUT_MS (422 otherwise)' }) @IsOptional() @IsInt() @Min(1) @Max(3_600_000) merchantTimeoutMs?: number;
  @ApiPropertyOptional({ nullable: true, example: '10.20.0.0/16, 192.0.2.7', description: 'Security profile: source networks (CIDRs or addresses) the terminal may connect from; 58 from anywhere else; null: any' }) @IsOptional() @IsString() @MaxLength(1024) allowedNetworks?: string | null;
}

class TerminalCreateDto extends ReasonDto {
  @ApiProperty({ example: 'TERM0031', description: 'Field 41: up to 8 characters' }) @Matches(/^[A-Za-z0-9]{1,8}$/) terminalId!: string;
  @ApiProperty() @Matches(/^[A-Za-z0-9]{1,15}$/) merchantId!: string;
  @ApiProperty({ enum: DIALECTS }) @IsIn(DIALECTS) dialect!: (typeof DIALECTS)[number];
  @ApiPropertyOptional({ enum: TERMINAL_STATUSES }) @IsOptional() @IsIn(TERMINAL_STATUSES) status?: TerminalStatus;
  @ApiPropertyOptional({ description: 'Default MERCHANT_TIMEOUT_MS; must be below GATEWAY_TIMEOUT_MS' }) @IsOptional() @IsInt() @Min(1) @Max(3_600_000) merchantTimeoutMs?: number;
  @ApiPropertyOptional({ nullable: true, example: '10.20.0.0/16, 192.0.2.7', description: 'Security profile: source networks (CIDRs or addresses) the terminal may connect from; 58 from anywhere else; null: any' }) @IsOptional() @IsString() @MaxLength(1024) allowedNetworks?: string | null;
}

class MacKeyDto extends ReasonDto {
  @ApiProperty({ nullable: true, type: String, description: 'Write-only: 32 hex characters (double-length DES), or null to stop MACing' })
  @ValidateIf((_, value) => value !== null)
  @Matches(/^[0-9a-fA-F]{32}$/)
  macKey!: string | null;
}

class TerminalQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() merchantId?: string;
}

const deleteReason = ApiQuery({ name: 'reason', required: true, description: 'Why (kept in the audit trail)' });

@AdminController('merchants', 'Merchants')
export class MerchantsController {
  constructor(@Inject(Merchants) private readonly merchants: Merchants) {}

  @Get()
  @AdminRoute({ role: 'viewer', summary: 'List merchants', description: 'Credentials show only whether they are set and a fingerprint.' })
  list(@Query() q: PageQueryDto) {
    return this.merchants.rows.list(pageLimit(q.limit), q.cursor);
  }

  @Get(':id')
  @AdminRoute({ role: 'viewer', errors: [404], summary: 'One merchant' })
  get(@Param('id') id: string) {
    return this.merchants.rows.get(id);
  }

  @Post()
  @AdminRoute({ role: 'admin', write: true, errors: [409, 422], summary: 'Create a merchant with its credentials' })
  create(@Body() body: MerchantCreateDto, @Actor() actor: AdminActor) {
    return this.merchants.create(body, actor);
  }

  @Patch(':id')
  @AdminRoute({ role: 'admin', write: true, errors: [404], summary: 'Change a merchant (name, store, endpoint, status, time zone, limits)', description: 'Applies to the next payment, without a restart. Only the limits named change; null clears one.' })
  update(@Param('id') id: string, @Body() body: MerchantPatchDto, @Actor() actor: AdminActor) {
    return this.merchants.update(id, { name: body.name, mcc: body.mcc, storeId: body.storeId, storeName: body.storeName, endpoint: body.endpoint, status: body.status, timeZone: body.timeZone, limits: body.limits }, actor);
  }

  @Put(':id/credentials')
  @AdminRoute({ role: 'admin', write: true, errors: [404, 422], summary: 'Replace the merchant’s Alipay credentials (write-only)', description: 'Stored sealed; never returned; keys are parsed first (422 if they do not work); effective without a restart.' })
  credentials(@Param('id') id: string, @Body() body: CredentialsDto, @Actor() actor: AdminActor) {
    return this.merchants.putCredentials(id, body.credentials, actor);
  }

  @Delete(':id')
  @deleteReason
  @AdminRoute({ role: 'admin', write: true, errors: [404, 409], summary: 'Delete a merchant without terminals or payments' })
  async remove(@Param('id') id: string, @Actor() actor: AdminActor) {
    await this.merchants.remove(id, actor);
    return { deleted: id };
  }
}

@AdminController('terminals', 'Terminals')
export class TerminalsController {
  constructor(@Inject(Terminals) private readonly terminals: Terminals) {}

  @Get()
  @AdminRoute({ role: 'viewer', summary: 'List terminals', description: 'MAC keys show only whether they are set and their key check value.' })
  list(@Query() q: TerminalQueryDto) {
    return this.terminals.rows.list(pageLimit(q.limit), q.cursor, { merchant_id: q.merchantId });
  }

  @Get(':id')
  @AdminRoute({ role: 'viewer', errors: [404], summary: 'One terminal' })
  get(@Param('id') id: string) {
    return this.terminals.rows.get(id);
  }

  @Post()
  @AdminRoute({ role: 'admin', write: true, errors: [409, 422], summary: 'Create a terminal' })
  create(@Body() body: TerminalCreateDto, @Actor() actor: AdminActor) {
    return this.terminals.create(body, actor);
  }

  @Patch(':id')
  @AdminRoute({ role: 'admin', write: true, errors: [404, 422], summary: 'Change a terminal (merchant, dialect, status, merchant timeout)', description: 'Applies from the terminal’s next message.' })
  update(@Param('id') id: string, @Body() body: TerminalPatchDto, @Actor() actor: AdminActor) {
    return this.terminals.update(id, { merchantId: body.merchantId, dialect: body.dialect, status: body.status, merchantTimeoutMs: body.merchantTimeoutMs, allowedNetworks: body.allowedNetworks }, actor);
  }

  @Put(':id/mac-key')
  @AdminRoute({ role: 'admin', write: true, errors: [404], summary: 'Set or clear the terminal’s MAC key (write-only)', description: 'Stored sealed; reads show its key check value; applies from the next message.' })
  macKey(@Param('id') id: string, @Body() body: MacKeyDto, @Actor() actor: AdminActor) {
    return this.terminals.putMacKey(id, body.macKey, actor);
  }

  @Delete(':id')
  @deleteReason
  @AdminRoute({ role: 'admin', write: true, errors: [404, 409], summary: 'Delete a terminal without transactions' })
  async remove(@Param('id') id: string, @Actor() actor: AdminActor) {
    await this.terminals.remove(id, actor);
    return { deleted: id };
  }
}
