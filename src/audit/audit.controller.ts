import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../common/auth/actor';
import { ErrorBodyDto } from '../common/errors/error-body';
import { AuditService } from './audit.service';
import { AuditPageDto } from './dto/audit-entry.response';
import { ListAuditQueryDto } from './dto/list-audit.dto';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequireRole('admin')
  @ApiOperation({
    summary: 'The audit log, newest first',
    description:
      'Who created, changed, deleted, sent, reminded, retried, exported, granted, revoked and erased what, when, with which key prefix, and what was answered. Entries hold ids and counts only: no key, answer token, request body or email. Filters combine with AND; page with `cursor`.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Invalid filter or cursor' })
  async list(@Query() query: ListAuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(query);
  }
}
