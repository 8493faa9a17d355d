import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class AskUsageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 366, default: 30, description: 'UTC days back from today' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  days: number = 30;
}

export class AskUsageDayDto {
  @ApiProperty({ example: '2026-11-21', description: 'UTC day' }) day: string;
  @ApiProperty() questions: number;
  @ApiProperty({ description: 'Language-model tokens (prompt + completion) reported by the provider' }) tokens: number;
}

export class AskUsageResponseDto {
  @ApiProperty({ description: 'Questions per UTC day (0 = unlimited)' }) dailyQuota: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Questions left today; null when unlimited' })
  remainingToday: number | null;
  @ApiProperty({ type: AskUsageDayDto }) today: AskUsageDayDto;
  @ApiProperty({ type: [AskUsageDayDto], description: 'Days with any usage, newest first' }) days: AskUsageDayDto[];
}
