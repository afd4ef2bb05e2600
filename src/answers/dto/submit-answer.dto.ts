import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** A form post sends every field as a string; JSON may send the index as a number. */
const toIndex = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,3}$/.test(value.trim()) ? Number(value.trim()) : value;
const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/**
 * POST /q/{token}/answer, as `application/x-www-form-urlencoded` (the page's form, which works
 * without JavaScript) or as JSON.
 */
export class SubmitAnswerDto {
  @ApiProperty({ minimum: 0, maximum: 9, example: 1, description: 'Index of the chosen option' })
  @Transform(toIndex)
  @IsInt({ message: 'choice must be the index of one of the options' })
  @Min(0, { message: 'choice must be the index of one of the options' })
  @Max(9, { message: 'choice must be the index of one of the options' })
  choice!: number;

  @ApiPropertyOptional({
    maxLength: 100,
    description: 'Channel mode only (a shared link): who is answering',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name?: string;

  @ApiPropertyOptional({
    maxLength: 254,
    description: 'Channel mode only: identifies the person (lower-cased) across answers',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(3, 254)
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;
}
