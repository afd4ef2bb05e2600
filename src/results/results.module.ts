import { GradebookService } from './gradebook.service';
import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AnswersModule } from '../answers/answers.module';
import { BroadcastsModule } from '../broadcasts/broadcasts.module';
import { ParticipantsModule } from '../participants/participants.module';
import { ResultsStreamService } from './results-stream.service';
import { ResultsController } from './results.controller';
import { ResultsService } from './results.service';

/**
 * The instructor's side of answers: results, CSV, the live stream, the meeting leaderboard and
 * reminders. Owns no collection: it reads broadcasts, deliveries and answers through their
 * modules' services. Exports ResultsService (the console's pages).
 */
@Module({
  imports: [AccessModule, AnswersModule, BroadcastsModule, ParticipantsModule],
  controllers: [ResultsController],
  providers: [ResultsService, ResultsStreamService, GradebookService],
  exports: [ResultsService, GradebookService],
})
export class ResultsModule {}
