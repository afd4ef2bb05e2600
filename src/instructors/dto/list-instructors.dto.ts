import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBase64, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ROLES, type Role } from '../../common/auth/actor';

/** GET /api/instructors: pages or a cursor, like GET /api/questions. */
export class ListInstructorsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 100000,
    default: 1,
    description: 'Page number (ignored when cursor is given)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;

  @ApiPropertyOptional({
    description: 'Opaque cursor from a previous next_cursor',
    minLength: 1,
    pattern: '^[A-Za-z0-9_-]+$',
  })
  @IsOptional()
  @IsString()
  @IsBase64({ urlSafe: true }, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}
