import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection, mongo } from 'mongoose';
import { MetricsService } from '../metrics/metrics.service';
import { DatabaseAvailability } from './database-availability.service';

/**
 * Feeds the metrics from the driver: every command it starts (command monitoring, switched on in
 * database.module.ts), counted by name, so commands per operation can be watched in production
 * as the tests and benchmarks count them (test/utils/command-monitor.ts); and whether the
 * database is reachable now.
 */
@Injectable()
export class DatabaseMetrics implements OnModuleInit {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly availability: DatabaseAvailability,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.connection
      .getClient()
      .on('commandStarted', (event: mongo.CommandStartedEvent) =>
        this.metrics.databaseCommand(event.commandName),
      );
    this.metrics.reportDatabaseAvailability(() => this.availability.available);
  }
}
