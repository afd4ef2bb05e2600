import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';
import { parseEnv } from './env.schema';

/**
 * Loads `.env` (through @nestjs/config) and exposes the validated, typed AppConfig to every
 * module. Tests override the AppConfig provider instead of mutating the environment.
 */
@Global()
@Module({
  imports: [NestConfigModule.forRoot({ isGlobal: true, cache: true })],
  providers: [{ provide: AppConfig, useFactory: () => parseEnv(process.env) }],
  exports: [AppConfig],
})
export class AppConfigModule {}
