import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/public.decorator';
import { WorksWithoutDatabase } from '../database/database-available.guard';
import { HealthDto, ServiceInfoDto } from './health.dto';
import { HealthService } from './health.service';

@ApiTags('health')
@Public()
@WorksWithoutDatabase() // /health reports the outage itself
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Service name, version and where the API docs are' })
  @ApiOkResponse({ type: ServiceInfoDto })
  info(): ServiceInfoDto {
    return this.health.info();
  }

  @Get('health')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Liveness plus a database ping' })
  @ApiOkResponse({ type: HealthDto, description: 'Service and database up' })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'Database unreachable' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    const result = await this.health.check();
    if (result.database !== 'up') void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }
}
