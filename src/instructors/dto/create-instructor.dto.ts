import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../../common/auth/actor';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';

export const NAME_MAX = 100;
export const EMAIL_MAX = 254;
export const ZOOM_USER_ID_MAX = 64;

/** Trims a string within `max` characters (a longer one is left to fail its length check). */
export const trimWithin =
  (max: number) =>
  ({ value }: { value: unknown }): unknown =>
    typeof value === 'string' && value.length <= max ? value.trim() : value;

/**
 * Emails are compared lower-case: the one place they are normalised before the unique index.
 * Not trimmed: " a@b.c" is not an email (as the documented format says) and is refused.
 */
export const normaliseEmail = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.toLowerCase() : value;

/** POST /api/instructors. */
export class CreateInstructorDto {
  @ApiProperty({ minLength: 1, maxLength: NAME_MAX, example: 'Ada Lovelace' })
  @Transform(trimWithin(NAME_MAX))
  @IsString()
  @Length(1, NAME_MAX)
  name!: string;

  @ApiProperty({
    maxLength: EMAIL_MAX,
    format: 'email',
    example: 'ada@example.edu',
    description: 'Unique; stored lower-case',
  })
  @Transform(normaliseEmail)
  @IsString()
  @Length(3, EMAIL_MAX)
  @IsEmail({ require_tld: false }, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ enum: ROLES, example: 'instructor' })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: ZOOM_USER_ID_MAX,
    pattern: '^[A-Za-z0-9_-]+$',
    description: "The instructor's Zoom user id, if known",
  })
  @ValidateIf((_o: unknown, value: unknown) => value !== undefined && value !== null)
  @IsString()
  @Length(1, ZOOM_USER_ID_MAX)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'zoom_user_id may hold letters, digits, _ and -' })
  zoom_user_id?: string | null;
}

/** PATCH /api/instructors/{id}: any subset; `disabled: true` refuses all the account's keys. */
export class PatchInstructorDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: NAME_MAX })
  @Transform(trimWithin(NAME_MAX))
  @IsOptionalNonNull()
  @IsString()
  @Length(1, NAME_MAX)
  name?: string;

  @ApiPropertyOptional({ maxLength: EMAIL_MAX, format: 'email' })
  @Transform(normaliseEmail)
  @IsOptionalNonNull()
  @IsString()
  @Length(3, EMAIL_MAX)
  @IsEmail({ require_tld: false }, { message: 'email must be an email address' })
  email?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptionalNonNull()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: ZOOM_USER_ID_MAX,
    pattern: '^[A-Za-z0-9_-]+$',
    description: 'null clears it',
  })
  @ValidateIf((_o: unknown, value: unknown) => value !== undefined && value !== null)
  @IsString()
  @Length(1, ZOOM_USER_ID_MAX)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'zoom_user_id may hold letters, digits, _ and -' })
  zoom_user_id?: string | null;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'true disables the account (its keys are refused); false enables it again',
  })
  @IsOptionalNonNull()
  @IsIn([true, false], { message: 'disabled must be true or false' })
  disabled?: boolean;
}
