import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, RequireRole } from '../common/auth/actor';
import { MeResponseDto } from './dto/instructor.response';

/** A key's owner checks who it acts for (a bootstrap key from API_KEYS has no record). */
@ApiTags('instructors')
@Controller('api/me')
export class MeController {
  @Get()
  @RequireRole('assistant')
  @ApiOperation({ summary: 'Who the presented API key acts for, and with which role' })
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentActor() actor: Actor): MeResponseDto {
    return { id: actor.instructorId, name: actor.name, email: actor.email, role: actor.role };
  }
}
