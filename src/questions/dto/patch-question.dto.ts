import { PartialType } from '@nestjs/swagger';
import { CreateQuestionDto } from './create-question.dto';

/**
 * PATCH /api/questions/{id}: any subset of the fields. Whether correct_answer still points into
 * options is checked against the merged question in the service. An explicit null is validated,
 * not skipped (`{"title": null}` is a 400, not a stored null); correct_answer allows null itself.
 */
export class PatchQuestionDto extends PartialType(CreateQuestionDto, {
  skipNullProperties: false,
}) {}
