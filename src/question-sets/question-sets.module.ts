import { Module } from '@nestjs/common';
import { QuestionsModule } from '../questions/questions.module';
import { QuestionSetsService } from './question-sets.service';

/**
 * Question sets (issue 16, docs/architecture.md §26): CRUD owned like questions, and the
 * snapshot a run starts from. Owns `question_sets`.
 */
@Module({
  imports: [QuestionsModule],
  controllers: [],
  providers: [QuestionSetsService],
  exports: [QuestionSetsService],
})
export class QuestionSetsModule {}
