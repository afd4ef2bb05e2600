import { PartialType } from '@nestjs/swagger';
import { CreateQuestionDto } from './create-question.dto';

/**
 * PATCH /api/questions/{id}: any subset of the fields. Whether correct_answer still points into
 * options is checked against the merged question in the service.
 */
export class PatchQuestionDto extends PartialType(CreateQuestionDto) {}
