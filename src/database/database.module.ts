import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../config/app-config';

/**
 * The one Mongoose connection, from configuration. The same code serves production (a real
 * MongoDB or Atlas), development and tests (the local MongoDB-wire server): only MONGO_URI differs.
 */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        uri: config.mongoUri,
        // Fail a request quickly when the database is gone instead of queueing it for 30 s.
        serverSelectionTimeoutMS: 5000,
        // Schemas declare their indexes; building them at start keeps dev/test/prod identical.
        autoIndex: true,
      }),
    }),
  ],
})
export class DatabaseModule {}
