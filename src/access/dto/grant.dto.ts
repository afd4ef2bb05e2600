import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { GRANT_ROLES, type GrantRole } from '../access.types';

/** PUT /api/meetings/{meeting_id}/instructors/{instructor_id} */
export class PutGrantDto {
  @ApiProperty({
    enum: GRANT_ROLES,
    description:
      '"instructor": read, remind and send to the meeting. "assistant": read and remind. An assistant account never sends, whatever its grant.',
  })
  @IsIn(GRANT_ROLES, { message: `role must be one of: ${GRANT_ROLES.join(', ')}` })
  role!: GrantRole;
}
