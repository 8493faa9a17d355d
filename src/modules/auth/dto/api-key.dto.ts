import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { API_KEY_SCOPES } from '../../../common/auth/scopes';

export class CreateApiKeyDto {
  @ApiProperty({ maxLength: 100, example: 'ci deployer' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;
}

export class ApiKeyViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Public part of the key, nxk_<prefix>_…' }) prefix: string;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiPropertyOptional({ nullable: true, type: Date }) expiresAt: Date | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Date,
    description: 'Updated in batches (see API_KEY_LAST_USED_FLUSH_SECONDS)',
  })
  lastUsedAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) rotatedAt: Date | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Date,
    description: 'Until then the secret before the last rotation still works',
  })
  previousSecretExpiresAt: Date | null;
}

export class ApiKeyWithSecretDto {
  @ApiProperty({ type: ApiKeyViewDto }) key: ApiKeyViewDto;
  @ApiProperty({ description: 'nxk_<prefix>_<secret>; shown only this once' }) secret: string;
}
