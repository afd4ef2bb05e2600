import { Injectable, NotImplementedException } from '@nestjs/common';
import type { CsvFormat } from '../common/csv/csv-format';
import type { CourseRecordsInput } from '../common/course-records';

/**
 * CONTRACT (issue 18, being built on branch `gradebook`): per person and occurrence of a course's
 * meetings, minutes present from the join and leave records. `thresholds` is the route's query
 * (AttendanceQueryDto, to be added beside this file).
 */
@Injectable()
export class AttendanceService {
  // eslint-disable-next-line @typescript-eslint/require-await
  async attendance(_input: CourseRecordsInput, _thresholds: unknown): Promise<unknown> {
    throw new NotImplementedException('attendance: being built');
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async attendanceCsv(
    _input: CourseRecordsInput,
    _thresholds: unknown,
    _format: CsvFormat,
  ): Promise<string> {
    throw new NotImplementedException('attendance: being built');
  }
}
