import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { SessionAuthenticator } from '../common/auth/session-authenticator';
import { BroadcastsModule } from '../broadcasts/broadcasts.module';
import { InstructorsModule } from '../instructors/instructors.module';
import { ParticipantsModule } from '../participants/participants.module';
import { QuestionsModule } from '../questions/questions.module';
import { QuestionSetsModule } from '../question-sets/question-sets.module';
import { ResultsModule } from '../results/results.module';
import { RunsModule } from '../runs/runs.module';
import { ConsoleKeys } from './console-keys';
import { ConsolePagesService } from './console-pages.service';
import { ConsoleController } from './console.controller';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsoleGuard } from './console.guard';
import { ConsoleSession, ConsoleSessionSchema } from './schemas/console-session.schema';
import { SessionsService } from './sessions.service';

/**
 * The instructor console and presenter view (docs/architecture.md §15): server-rendered pages
 * over the other modules' services, and the console sessions. Exports SessionsService, also as
 * the SessionAuthenticator through which the auth guard accepts the session cookie on /api.
 */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: ConsoleSession.name, schema: ConsoleSessionSchema }]),
    InstructorsModule,
    QuestionsModule,
    ParticipantsModule,
    BroadcastsModule,
    ResultsModule,
    QuestionSetsModule,
    RunsModule,
  ],
  controllers: [ConsoleController],
  providers: [
    SessionsService,
    { provide: SessionAuthenticator, useExisting: SessionsService },
    ConsoleKeys,
    ConsolePagesService,
    ConsoleGuard,
    ConsoleExceptionFilter,
  ],
  exports: [SessionsService, SessionAuthenticator],
})
export class ConsoleModule {}
