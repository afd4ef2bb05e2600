import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { QuestionBankController } from './bank/question-bank.controller';
import { QuestionBankService } from './bank/question-bank.service';
import { QuestionsController } from './questions.controller';
import { QuestionsService } from './questions.service';
import { Question, QuestionSchema } from './schemas/question.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: Question.name, schema: QuestionSchema }])],
  controllers: [QuestionBankController, QuestionsController],
  providers: [QuestionsService, QuestionBankService],
  exports: [QuestionsService],
})
export class QuestionsModule {}
