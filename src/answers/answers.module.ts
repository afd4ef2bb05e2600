import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BroadcastsModule } from '../broadcasts/broadcasts.module';
import { Delivery, DeliverySchema } from '../broadcasts/schemas/delivery.schema';
import { ParticipantsModule } from '../participants/participants.module';
import { AnswerPageController } from './answer-page.controller';
import { AnswerRateLimitGuard } from './answer-rate-limit.guard';
import { AnswersRepository } from './answers.repository';
import { AnswersService } from './answers.service';
import { DeliveryLookup } from './delivery-lookup.service';
import { ResultsStreamService } from './results-stream.service';
import { ResultsController } from './results.controller';
import { ResultsService } from './results.service';
import { Answer, AnswerSchema } from './schemas/answer.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Answer.name, schema: AnswerSchema },
      // Read-only, for DeliveryLookup; the broadcasts module owns the collection (same model).
      { name: Delivery.name, schema: DeliverySchema },
    ]),
    BroadcastsModule,
    ParticipantsModule,
  ],
  controllers: [AnswerPageController, ResultsController],
  providers: [
    AnswersRepository,
    AnswersService,
    DeliveryLookup,
    ResultsService,
    ResultsStreamService,
    AnswerRateLimitGuard,
  ],
})
export class AnswersModule {}
