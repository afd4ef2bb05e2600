import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../config/app-config';
import { DatabaseAvailability } from './database-availability.service';
import { DatabaseAvailableGuard } from './database-available.guard';
import { DatabaseMetrics } from './database-metrics';

/**
 * The one Mongoose connection, from configuration. The same code serves production (a real
 * MongoDB or Atlas), development and tests (the local MongoDB-wire server): only MONGO_URI differs.
 * Also watches whether the database is reachable (DatabaseAvailability) and answers 503 at once
 * on every route while it is not (DatabaseAvailableGuard), and reports its commands to the metrics
 * (DatabaseMetrics).
 */
@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        uri: config.mongoUri,
        // An operation fails after this long without a usable server, instead of 30 s: below
        // Zoom's 3 s webhook budget (docs/zoom.md §3). Once the driver knows the server is gone,
        // DatabaseAvailableGuard answers 503 without waiting at all.
        serverSelectionTimeoutMS: 2000,
        // Fail, don't queue: Mongoose would otherwise hold operations for 10 s while disconnected.
        bufferCommands: false,
        // Schemas declare their indexes; building them at start keeps dev/test/prod identical.
        autoIndex: true,
        // Every command raises an event, counted by name for GET /metrics (DatabaseMetrics).
        monitorCommands: true,
      }),
    }),
  ],
  providers: [
    DatabaseAvailability,
    DatabaseMetrics,
    { provide: APP_GUARD, useClass: DatabaseAvailableGuard },
  ],
  exports: [DatabaseAvailability],
})
export class DatabaseModule {}
