import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ROLES, type Role } from '../../common/auth/actor';
import { PageQueryDto } from '../../common/paging/newest-first';

/** GET /api/instructors: the common paging (as GET /api/questions) and a role filter. */
export class ListInstructorsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}
