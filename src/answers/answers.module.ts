import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BroadcastsModule } from '../broadcasts/broadcasts.module';
import { AnswerPageController } from './answer-page.controller';
import { AnswerPageRenderer } from './answer-page-renderer.service';
import { AnswerQuotaRepository } from './answer-quota.repository';
import { AnswerQuotaService } from './answer-quota.service';
import { AnswerRateLimitGuard } from './answer-rate-limit.guard';
import { AnswerRecordsService } from './answer-records.service';
import { AnswersRepository } from './answers.repository';
import { AnswersService } from './answers.service';
import { LiveAnswersService } from './live/live-answers.service';
import { AnswerQuotaCounter, AnswerQuotaCounterSchema } from './schemas/answer-quota.schema';
import { Answer, AnswerSchema } from './schemas/answer.schema';

/**
 * The participant's side: the answer page behind each personal link, answer submission and
 * scoring; owns the answers collection. Exports AnswersService (its 'answer' events),
 * LiveAnswersService (every instance's answers of a followed broadcast, for the live stream) and
 * AnswerRecordsService (reads of stored answers) for the results module, and AnswerPageRenderer
 * (the page's rendering of every question type) for a run's page.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Answer.name, schema: AnswerSchema },
      { name: AnswerQuotaCounter.name, schema: AnswerQuotaCounterSchema },
    ]),
    BroadcastsModule,
  ],
  controllers: [AnswerPageController],
  providers: [
    AnswersRepository,
    AnswersService,
    AnswerRecordsService,
    AnswerRateLimitGuard,
    AnswerQuotaRepository,
    AnswerQuotaService,
    LiveAnswersService,
    AnswerPageRenderer,
  ],
  exports: [AnswersService, AnswerRecordsService, LiveAnswersService, AnswerPageRenderer],
})
export class AnswersModule {}
