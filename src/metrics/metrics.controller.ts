import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireRole } from '../common/auth/actor';
import { WorksWithoutDatabase } from '../database/database-available.guard';
import { MetricsService } from './metrics.service';

@ApiTags('metrics')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @RequireRole('admin')
  // An outage is when the numbers matter most; nothing here reads the database (a bootstrap
  // API_KEYS key is checked without it).
  @WorksWithoutDatabase()
  @ApiOperation({
    summary: "This instance's metrics, in Prometheus' text format",
    description:
      'Zoom calls by label, route and status (429s apart), time waiting for the rate budget, delivery outcomes, webhook acknowledgement and answer latency, database commands and operations, open live streams, and Node process metrics. Each instance reports its own: scrape every instance. With METRICS_PORT set the same text is served without a key on that port (private network only). The metrics and alerts are described in docs/scaling.md.',
  })
  @ApiOkResponse({
    description: 'The text exposition format (version 0.0.4)',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('content-type', this.metrics.contentType);
    return this.metrics.render();
  }
}
