import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { QuestionsModule } from '../questions/questions.module';
import { QuestionSetsController } from './question-sets.controller';
import { QuestionSetsService } from './question-sets.service';
import { QuestionSet, QuestionSetSchema } from './schemas/question-set.schema';

/**
 * Question sets (issue 16, docs/architecture.md §26): CRUD owned like questions, and the
 * snapshot a run starts from. Owns `question_sets`.
 */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: QuestionSet.name, schema: QuestionSetSchema }]),
    QuestionsModule,
  ],
  controllers: [QuestionSetsController],
  providers: [QuestionSetsService],
  exports: [QuestionSetsService],
})
export class QuestionSetsModule {}
