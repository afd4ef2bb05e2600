import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsListener } from './metrics-listener';
import { MetricsService } from './metrics.service';
import { RequestTimingHook } from './timed-route';

/**
 * The application's metrics (docs/scaling.md, "Metrics and alerts"). Global, like the clock and
 * the configuration: the Zoom client, the sender, the database, the webhook and answer routes and
 * the live streams each report through the exported MetricsService at their own hook points.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, MetricsListener, RequestTimingHook],
  exports: [MetricsService],
})
export class MetricsModule {}
