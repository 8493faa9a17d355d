import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

const CONTEXT_DOC = 'Object of attributes ({"team":"ops"}) or "team=ops;env=prod"; omitted or "" = the global default';

export class ListDefaultsQueryDto {
  @ApiPropertyOptional({ description: 'Exact key' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  key?: string;

  @ApiPropertyOptional({ description: 'Keys starting with this' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  keyPrefix?: string;

  @ApiPropertyOptional({ description: 'Rows whose context contains all these attributes, e.g. team=ops;env=prod' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  context?: string;

  @ApiPropertyOptional({
    description: 'key, updatedAt, confidence or usageCount; prefix - for descending',
    default: 'key',
  })
  @IsOptional()
  @Matches(/^-?(key|updatedAt|confidence|usageCount)$/)
  sort?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Page number (any sort; returns total)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (sort=key or -key)' })
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  cursor?: string;
}

export class ContextQueryDto {
  @ApiPropertyOptional({ description: 'The asked context, e.g. team=ops;env=prod (omitted = global)' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  context?: string;
}

/** ?context= plus the shared ?page=&limit=. */
export class HistoryQueryDto extends IntersectionType(ContextQueryDto, PageQueryDto) {}

export class PutDefaultDto {
  @ApiPropertyOptional({ description: CONTEXT_DOC, oneOf: [{ type: 'string' }, { type: 'object' }] })
  @IsOptional()
  context?: string | Record<string, string>;

  @ApiProperty({ description: 'Any JSON value except null (at most DEFAULTS_MAX_VALUE_BYTES as JSON)' })
  @IsDefined()
  value: unknown;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'Default 1 for a new row; unchanged for an existing one',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  confidence?: number;
}

export class BatchItemDto {
  @ApiProperty({ enum: ['upsert', 'delete'] })
  op: 'upsert' | 'delete';
  @ApiProperty()
  key: string;
  @ApiPropertyOptional({ description: CONTEXT_DOC })
  context?: string | Record<string, string>;
  @ApiPropertyOptional({ description: 'Required for upsert' })
  value?: unknown;
  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  confidence?: number;
}

export class BatchDto {
  @ApiProperty({
    type: [BatchItemDto],
    description:
      'Up to DEFAULTS_BATCH_MAX items, applied all-or-nothing; items are validated by the service so a 422 can list every failing index',
  })
  @IsArray()
  @ArrayMaxSize(100000)
  items: unknown[];
}

export class PredictDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[a-zA-Z0-9._:-]{1,255}$/, { message: 'key must be 1 to 255 characters of [a-zA-Z0-9._:-]' })
  key: string;

  @ApiPropertyOptional({ description: CONTEXT_DOC })
  @IsOptional()
  context?: string | Record<string, string>;

  @ApiPropertyOptional({
    description: 'Values to rank; default: the distinct stored values of the key',
    type: 'array',
    items: {},
  })
  @IsOptional()
  @IsArray()
  candidates?: unknown[];

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'At most DEFAULTS_PREDICT_MAX_ALTERNATIVES' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  alternatives?: number;
}

export class FeedbackDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[a-zA-Z0-9._:-]{1,255}$/, { message: 'key must be 1 to 255 characters of [a-zA-Z0-9._:-]' })
  key: string;

  @ApiPropertyOptional({ description: CONTEXT_DOC })
  @IsOptional()
  context?: string | Record<string, string>;

  @ApiProperty({ description: 'The value that was offered' })
  @IsDefined()
  value: unknown;

  @ApiProperty({ enum: ['accepted', 'rejected'] })
  @IsIn(['accepted', 'rejected'])
  outcome: 'accepted' | 'rejected';
}
