/** Request shapes shared by the admin routes; each doubles as its OpenAPI schema. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_REASON } from './actor.decorator';
import { MAX_PAGE } from './paging';

/** The body of a write that needs nothing but its reason. */
export class ReasonDto {
  @ApiProperty({ description: 'Why (kept in the audit trail)', example: 'customer called: terminal lost the answer', maxLength: MAX_REASON })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON)
  reason!: string;
}

export class PageQueryDto {
  @ApiPropertyOptional({ description: `Page size, 1-${MAX_PAGE} (default 50)`, example: 50 })
  @IsOptional()
  @IsString()
  limit?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class PageDto {
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}
