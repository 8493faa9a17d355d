import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Role } from '../../../common/auth/principal';
import { UserEntity } from './user.entity';

/** What the API shows of a user: never the password hash. */
export class UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiPropertyOptional({ nullable: true, type: String }) displayName: string | null;
  @ApiProperty({ enum: ['user', 'admin'] }) role: Role;
  @ApiProperty() disabled: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export function toUserView(u: UserEntity): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    disabled: u.disabled,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}
