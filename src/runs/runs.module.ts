import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccessModule } from '../access/access.module';
import { AnswersModule } from '../answers/answers.module';
import { BroadcastsModule } from '../broadcasts/broadcasts.module';
import { ParticipantsModule } from '../participants/participants.module';
import { QuestionSetsModule } from '../question-sets/question-sets.module';
import { ResultsModule } from '../results/results.module';
import { RunResultsController } from './run-results.controller';
import { RunResultsService } from './run-results.service';
import { RunArmsRepository } from './run-arms.repository';
import { RunArmsService } from './run-arms.service';
import { RunPageController } from './run-page.controller';
import { RunParticipantService } from './run-participant.service';
import { RunProgressRepository } from './run-progress.repository';
import { RunStarter } from './run-starter.service';
import { RunStreamsService } from './run-streams.service';
import { RunsController } from './runs.controller';
import { RunsRepository } from './runs.repository';
import { RunsService } from './runs.service';
import { RunsWorker } from './runs.worker';
import { RunArm, RunArmSchema } from './schemas/run-arm.schema';
import { RunProgress, RunProgressSchema } from './schemas/run-progress.schema';
import { Run, RunSchema } from './schemas/run.schema';

/**
 * Runs of question sets (issue 16, docs/architecture.md §27): the run routes, the participant's
 * run page `/r/{token}`, the runs worker (deadlines, auto-advance, late joiners, armed starts)
 * and a run's results. Owns `runs`, `run_progress`, `run_arms`; its messages, questions and
 * answers are broadcasts' and answers' (through their services).
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Run.name, schema: RunSchema },
      { name: RunProgress.name, schema: RunProgressSchema },
      { name: RunArm.name, schema: RunArmSchema },
    ]),
    AccessModule,
    AnswersModule,
    BroadcastsModule,
    ParticipantsModule,
    QuestionSetsModule,
    ResultsModule,
  ],
  controllers: [RunsController, RunPageController, RunResultsController],
  providers: [
    RunsService,
    RunsRepository,
    RunArmsRepository,
    RunArmsService,
    RunStarter,
    RunsWorker,
    RunProgressRepository,
    RunParticipantService,
    RunStreamsService,
    RunResultsService,
  ],
  exports: [RunsService],
})
export class RunsModule {}
