import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AccessModule } from './access/access.module';
import { AnswersModule } from './answers/answers.module';
import { AuditModule } from './audit/audit.module';
import { BroadcastsModule } from './broadcasts/broadcasts.module';
import { ApiKeyGuard } from './common/auth/api-key.guard';
import { ClockModule } from './common/clock';
import { ConsoleModule } from './console/console.module';
import { CoursesModule } from './courses/courses.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { createValidationPipe } from './common/errors/validation';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { InstructorsModule } from './instructors/instructors.module';
import { MetricsModule } from './metrics/metrics.module';
import { ParticipantsModule } from './participants/participants.module';
import { PrivacyModule } from './privacy/privacy.module';
import { QuestionSetsModule } from './question-sets/question-sets.module';
import { QuestionsModule } from './questions/questions.module';
import { ResultsModule } from './results/results.module';
import { RunsModule } from './runs/runs.module';
import { WebhookModule } from './webhook/webhook.module';
import { ZoomApiErrorFilter } from './zoom/zoom-api-error.filter';
import { ZoomModule } from './zoom/zoom.module';

@Module({
  imports: [
    ClockModule,
    MetricsModule,
    DatabaseModule,
    IdempotencyModule,
    AuditModule,
    HealthModule,
    InstructorsModule,
    QuestionsModule,
    ZoomModule,
    AccessModule,
    BroadcastsModule,
    AnswersModule,
    ResultsModule,
    ParticipantsModule,
    WebhookModule,
    PrivacyModule,
    ConsoleModule,
    CoursesModule,
    QuestionSetsModule,
    RunsModule,
  ],
  providers: [
    // Registered here rather than in main.ts so e2e tests run the very same pipe, guard and filter.
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    // Nest tries global filters last-registered first: Zoom's failures must reach this one
    // before the catch-all above turns them into a generic 500.
    { provide: APP_FILTER, useClass: ZoomApiErrorFilter },
  ],
})
export class AppModule {
  /** The application with this configuration (see AppConfigModule). */
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [AppConfigModule.forRoot(config)] };
  }
}
