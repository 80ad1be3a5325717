import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional } from 'class-validator';
import { CleanText, CodePointLength, TextField } from '../fields.decorator.js';
import { PageQuery } from '../page.query.js';
import { Optional } from '../optional.decorator.js';
import { ROLES, type Role } from '../../../core/identity/role.js';
import type { User } from '../../../core/identity/user.js';
import { isoTime } from '../iso-time.js';

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() active!: boolean;
  @ApiProperty({ enum: ['sso', 'local'], description: 'Where the account and its role are managed' }) source!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(u: User): UserResponse {
    return {
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
      active: u.active,
      source: u.externalId ? 'sso' : 'local',
      createdAt: isoTime(u.createdAt),
      updatedAt: isoTime(u.updatedAt),
    };
  }
}

/** /auth/me: the caller, and for agents and admins their recognition points and level. */
export class MeResponse extends UserResponse {
  @ApiPropertyOptional({ description: 'Agents and admins: all-time points (the sum of their ledger; the leaderboard\'s period=all)' })
  points?: number;
  @ApiPropertyOptional({ description: 'Agents and admins: level by all-time points', example: 'Apprentice' })
  level?: string;
}

export class UserPageResponse {
  @ApiProperty({ type: [UserResponse] }) items!: UserResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class UserListQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';

  @ApiPropertyOptional({ maxLength: 100, description: 'Matches name or email' })
  @IsOptional()
  @TextField(100, { min: 0 })
  q?: string;
}

export class UpdateUserRequest {
  @ApiPropertyOptional({ enum: ROLES, description: 'Local accounts only; SSO roles come from Keycloak' })
  @Optional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  active?: boolean;
}

export class RegisterRequest {
  @ApiProperty({ example: 'ana@example.com' })
  @CleanText()
  @IsEmail()
  @CodePointLength(3, 254)
  email!: string;

  @ApiProperty({ minLength: 12, maxLength: 200 })
  @TextField(200, { min: 12 })
  password!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Ana Souza' })
  @TextField(100)
  name!: string;
}

export class LoginRequest {
  @ApiProperty()
  @CleanText()
  @IsEmail()
  @CodePointLength(3, 254)
  email!: string;

  @ApiProperty()
  @TextField(200)
  password!: string;
}

export class TokenResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn!: number;
}
