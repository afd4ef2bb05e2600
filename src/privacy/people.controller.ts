import { Controller, Delete, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import { RequireRole } from '../common/auth/actor';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ErasureResponseDto, PersonEmailParamDto } from './dto/erase-person.dto';
import { ErasureService } from './erasure.service';

@ApiTags('privacy')
@Controller('api/people')
export class PeopleController {
  constructor(private readonly erasure: ErasureService) {}

  @Delete(':email')
  @RequireRole('admin')
  @Audited('person.erased')
  @ApiOperation({
    summary: "Erase one person's data (right to erasure)",
    description:
      "Deletes the person's participant records, deliveries and answers in every meeting: found by the email, the Zoom user ids of the joins given with it, and their person keys, and answers typed with the email in a channel. Answers the counts removed; an email nobody used answers zeros (erasure can be repeated safely). The audit entry keeps the counts, never the email. Meeting occurrences a person hosted, and instructor accounts, are not touched.",
  })
  @ApiOkResponse({ type: ErasureResponseDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Not an email address' })
  async erase(@Param() params: PersonEmailParamDto): Promise<ErasureResponseDto> {
    return { removed: await this.erasure.erase(params.email) };
  }
}
