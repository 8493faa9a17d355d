import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsNotCommonPassword } from '../password/not-common-password.validator';
import { normalizeEmail } from '../users/email';

const normalized = ({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeEmail(value) : value);
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', description: 'Trimmed and lower-cased before use' })
  @Transform(normalized)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 12, maxLength: 128, description: 'Not one of the bundled common passwords' })
  @IsString()
  @MinLength(12)
  @MaxLength(128)
  @IsNotCommonPassword()
  password: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(normalized)
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(128)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh' })
  @IsString()
  @MaxLength(256)
  refreshToken: string;
}

export class UpdateMeDto {
  @ApiPropertyOptional({ maxLength: 100, nullable: true })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100)
  displayName?: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(128)
  currentPassword: string;

  @ApiProperty({ minLength: 12, maxLength: 128 })
  @IsString()
  @MinLength(12)
  @MaxLength(128)
  @IsNotCommonPassword()
  newPassword: string;

  @ApiPropertyOptional({
    default: false,
    description:
      'Also revoke every API key of the account (for a suspected compromise). Other sessions are always revoked.',
  })
  @IsOptional()
  @IsBoolean()
  revokeApiKeys?: boolean;
}

export class DeleteMeDto {
  @ApiProperty({ description: 'Current password, re-checked before erasing the account' })
  @IsString()
  @MaxLength(128)
  password: string;
}

export class TokenPairView {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds' }) expiresIn: number;
}
