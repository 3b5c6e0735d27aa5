import { Get, Inject, Query } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString } from 'class-validator';
import { AdminController, AdminRoute } from '../http/admin-route.decorator';
import { PageQueryDto } from '../http/dto';
import { pageLimit, type Page } from '../http/paging';
import { AuditTrail, type AuditEntryView } from './audit-trail';

class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Key name' }) @IsOptional() @IsString() actor?: string;
  @ApiPropertyOptional({ example: 'transaction.cancel' }) @IsOptional() @IsString() action?: string;
  @ApiPropertyOptional({ example: 'payment' }) @IsOptional() @IsString() targetType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() targetId?: string;
  @ApiPropertyOptional({ description: 'From (inclusive), ISO 8601' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'To (exclusive), ISO 8601' }) @IsOptional() @IsISO8601() to?: string;
}

@AdminController('audit', 'Audit')
export class AuditController {
  constructor(@Inject(AuditTrail) private readonly audit: AuditTrail) {}

  @Get()
  @AdminRoute({ role: 'admin', summary: 'List audit entries, newest first', description: 'Append-only: no route changes an entry.' })
  list(@Query() q: AuditQueryDto): Promise<Page<AuditEntryView>> {
    return this.audit.list(
      {
        actor: q.actor,
        action: q.action,
        targetType: q.targetType,
        targetId: q.targetId,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      },
      pageLimit(q.limit),
      q.cursor,
    );
  }
}
