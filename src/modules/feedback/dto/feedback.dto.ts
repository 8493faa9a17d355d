import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { PageDto } from '../../../common/http/page';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { Transform, Type } from 'class-transformer';
import { IsDate, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { FEEDBACK_STATUSES, FEEDBACK_TYPES } from '../entities/feedback.entity';
import type { FeedbackMetadata, FeedbackStatus, FeedbackType } from '../entities/feedback.entity';
import { IsFlatMetadata, sanitizeMetadata, stripControl } from '../sanitize';

const strip = ({ value }: { value: unknown }) => stripControl(value);

export class CreateFeedbackDto {
  @ApiProperty({ enum: FEEDBACK_TYPES })
  @IsIn(FEEDBACK_TYPES)
  type: FeedbackType;

  @ApiProperty({
    minLength: 1,
    maxLength: 10000,
    description: 'Control characters are removed; the rest is stored as sent',
  })
  @Transform(strip)
  @IsString()
  @Length(1, 10000)
  message: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  rating?: number;

  @ApiPropertyOptional({ format: 'email', maxLength: 254 })
  @IsOptional()
  @Transform(strip)
  @IsString()
  @MaxLength(254)
  @IsEmail()
  contact?: string;

  @ApiPropertyOptional({ maxLength: 100, example: '2.4.1' })
  @IsOptional()
  @Transform(strip)
  @IsString()
  @Length(1, 100)
  appVersion?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string', maxLength: 1000 }, { type: 'number' }, { type: 'boolean' }] },
    description: 'Flat object, at most 50 keys; values string (<= 1000 chars), number or boolean',
  })
  @IsOptional()
  @Transform(({ value }) => sanitizeMetadata(value))
  @IsFlatMetadata()
  metadata?: FeedbackMetadata;
}

export class UpdateFeedbackDto {
  @ApiProperty({ enum: FEEDBACK_STATUSES })
  @IsIn(FEEDBACK_STATUSES)
  status: FeedbackStatus;
}

export class FeedbackFilterDto {
  @ApiPropertyOptional({ enum: FEEDBACK_TYPES })
  @IsOptional()
  @IsIn(FEEDBACK_TYPES)
  type?: FeedbackType;

  @ApiPropertyOptional({ enum: FEEDBACK_STATUSES })
  @IsOptional()
  @IsIn(FEEDBACK_STATUSES)
  status?: FeedbackStatus;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the message' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

export class FeedbackListQueryDto extends IntersectionType(FeedbackFilterDto, PageQueryDto) {}

export class FeedbackExportQueryDto extends FeedbackFilterDto {
  @ApiProperty({ enum: ['csv', 'json'] })
  @IsIn(['csv', 'json'])
  format: 'csv' | 'json';
}

export class FeedbackDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: FEEDBACK_TYPES }) type: FeedbackType;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ nullable: true }) rating: number | null;
  @ApiPropertyOptional({ nullable: true }) contact: string | null;
  @ApiPropertyOptional({ nullable: true }) appVersion: string | null;
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true })
  metadata: FeedbackMetadata | null;
  @ApiProperty({ enum: FEEDBACK_STATUSES }) status: FeedbackStatus;
  @ApiPropertyOptional({ nullable: true }) userId: string | null;
  @ApiProperty() createdAt: Date;
}

export class FeedbackPageDto extends PageDto(FeedbackDto) {}
