import { Injectable, NotImplementedException } from '@nestjs/common';
import type { CsvFormat } from '../common/csv/csv-format';
import type { CourseRecordsInput } from '../common/course-records';

/**
 * CONTRACT (issue 18, being built on branch `gradebook`): a course's gradebook from the answers,
 * deliveries and participants of its meetings. The courses module calls it with a course the
 * caller may read (it has checked meeting access); the routes live in the courses module.
 */
@Injectable()
export class GradebookService {
  // eslint-disable-next-line @typescript-eslint/require-await
  async gradebook(_input: CourseRecordsInput): Promise<unknown> {
    throw new NotImplementedException('gradebook: being built');
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async gradebookCsv(_input: CourseRecordsInput, _format: CsvFormat): Promise<string> {
    throw new NotImplementedException('gradebook: being built');
  }
}
