import { Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';
import type { Actor } from '../common/auth/actor';
import type { CsvFormat } from '../common/csv/csv-format';
import { AttendanceService } from '../participants/attendance.service';
import type { AttendanceQueryDto, AttendanceResponseDto } from '../participants/dto/attendance.dto';
import type { GradebookResponseDto } from '../results/dto/gradebook.dto';
import { GradebookService } from '../results/gradebook.service';
import { CoursesService } from './courses.service';

/**
 * A course's records: the course's meetings and roster (CoursesService.recordsOf, which checks
 * the caller's access to every meeting), handed to the modules that own the data: the gradebook
 * to results, the attendance to participants. Nothing is computed here.
 */
@Injectable()
export class CourseRecordsService {
  constructor(
    private readonly courses: CoursesService,
    private readonly gradebooks: GradebookService,
    private readonly attendances: AttendanceService,
  ) {}

  async gradebook(actor: Actor, id: Types.ObjectId): Promise<GradebookResponseDto> {
    return this.gradebooks.gradebook(await this.courses.recordsOf(actor, id));
  }

  async gradebookCsv(actor: Actor, id: Types.ObjectId, format: CsvFormat): Promise<string> {
    return this.gradebooks.gradebookCsv(await this.courses.recordsOf(actor, id), format);
  }

  async attendance(
    actor: Actor,
    id: Types.ObjectId,
    thresholds: AttendanceQueryDto,
  ): Promise<AttendanceResponseDto> {
    return this.attendances.attendance(await this.courses.recordsOf(actor, id), thresholds);
  }

  async attendanceCsv(
    actor: Actor,
    id: Types.ObjectId,
    thresholds: AttendanceQueryDto,
    format: CsvFormat,
  ): Promise<string> {
    const input = await this.courses.recordsOf(actor, id);
    return this.attendances.attendanceCsv(input, thresholds, format);
  }
}
