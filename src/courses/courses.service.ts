import {
  BadRequestException,
  Injectable,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, ProjectionType, Types } from 'mongoose';
import { MeetingAccessService } from '../access/meeting-access.service';
import type { Actor } from '../common/auth/actor';
import { ownedBy } from '../common/auth/owner-filter';
import { Clock } from '../common/clock';
import type { CourseRecordsInput } from '../common/course-records';
import type { PersonIdentity } from '../common/personal-data';
import type { FileProblemDto } from '../common/errors/error-body';
import { newestFirstPage, type NewestFirstPage } from '../common/paging/newest-first';
import type { CreateCourseDto, ListCoursesQueryDto, PatchCourseDto } from './dto/course.dto';
import { MAX_ROSTER_STUDENTS, readRosterUpload, type RosterUpload } from './roster';
import { Course, CourseDocument } from './schemas/course.schema';

/** Every read but the roster's and the records' leaves the roster out: it may be thousands. */
const WITHOUT_ROSTER: ProjectionType<Course> = { roster: 0 };

/**
 * Courses (issue 18): CRUD owned like questions (visibleTo), the roster, and the course's
 * records input for the gradebook and attendance. A course names meetings: the caller must be
 * able to read each one when naming it, and again whenever the course's records are read (a
 * grant may have been withdrawn since), so a course is never a way into another's meeting.
 */
@Injectable()
export class CoursesService {
  constructor(
    @InjectModel(Course.name) private readonly courses: Model<Course>,
    private readonly access: MeetingAccessService,
    private readonly clock: Clock,
  ) {}

  /** The course belongs to its creator (null for a bootstrap key: then only admins see it). */
  async create(actor: Actor, dto: CreateCourseDto): Promise<CourseDocument> {
    const meetingIds = distinct(dto.meeting_ids ?? []);
    await this.requireReadable(actor, meetingIds);
    return this.courses.create({
      title: dto.title,
      meeting_ids: meetingIds,
      owner_id: actor.instructorId,
    });
  }

  /** The course, without its roster, if the actor may see it; anyone else's is 404. */
  async findById(actor: Actor, id: Types.ObjectId): Promise<CourseDocument> {
    const course = await this.courses
      .findOne({ _id: id, ...visibleTo(actor) }, WITHOUT_ROSTER)
      .exec();
    if (!course) throw courseNotFound(id);
    return course;
  }

  async list(actor: Actor, query: ListCoursesQueryDto): Promise<NewestFirstPage<CourseDocument>> {
    return newestFirstPage(this.courses, visibleTo(actor), query, WITHOUT_ROSTER);
  }

  /**
   * The fields sent; `meeting_ids` replaces the list. Only meetings the course did not name yet
   * are checked: a title change stays possible after a grant was withdrawn (the records routes
   * check every meeting anyway).
   */
  async patch(
    actor: Actor,
    id: Types.ObjectId,
    dto: PatchCourseDto | undefined,
  ): Promise<CourseDocument> {
    // No body, or one naming nothing to change, is a mistake worth saying (not a silent 200).
    if (dto?.title === undefined && dto?.meeting_ids === undefined) {
      throw new BadRequestException({
        message: 'Nothing to change: send title, meeting_ids or both',
        details: [{ field: 'body', errors: ['title or meeting_ids is required'] }],
      });
    }
    const course = await this.findById(actor, id);
    const set: Partial<Pick<Course, 'title' | 'meeting_ids'>> = {};
    if (dto.title !== undefined) set.title = dto.title;
    if (dto.meeting_ids !== undefined) {
      set.meeting_ids = distinct(dto.meeting_ids);
      const added = set.meeting_ids.filter((m) => !course.meeting_ids.includes(m));
      await this.requireReadable(actor, added);
    }
    const updated = await this.courses
      .findOneAndUpdate(
        { _id: id, ...visibleTo(actor) },
        { $set: set },
        {
          new: true,
          projection: WITHOUT_ROSTER,
        },
      )
      .exec();
    if (!updated) throw courseNotFound(id);
    return updated;
  }

  async remove(actor: Actor, id: Types.ObjectId): Promise<void> {
    const result = await this.courses.deleteOne({ _id: id, ...visibleTo(actor) }).exec();
    if (result.deletedCount === 0) throw courseNotFound(id);
  }

  /** The course with its roster. */
  async withRoster(actor: Actor, id: Types.ObjectId): Promise<CourseDocument> {
    const course = await this.courses.findOne({ _id: id, ...visibleTo(actor) }).exec();
    if (!course) throw courseNotFound(id);
    return course;
  }

  /**
   * PUT /api/courses/{id}/roster: the roster as read and checked (roster.ts) replaces the old one
   * whole, in one write; with any bad line nothing is written and every bad line is answered.
   */
  async replaceRoster(
    actor: Actor,
    id: Types.ObjectId,
    upload: RosterUpload,
  ): Promise<CourseDocument> {
    // Whose course it is comes first: another's answers 404 whatever the body holds.
    await this.findById(actor, id);
    const checked = readRosterUpload(upload);
    if (!checked.ok) {
      if ('unsupported' in checked) {
        throw new UnsupportedMediaTypeException(
          `A roster is sent as text/csv or application/json, not ${checked.unsupported}`,
        );
      }
      if ('tooMany' in checked) {
        throw new PayloadTooLargeException(
          `A roster holds at most ${MAX_ROSTER_STUDENTS} students; this one has ${checked.tooMany}`,
        );
      }
      if ('malformed' in checked) throw new BadRequestException(checked.malformed);
      throw rosterRejected(checked.errors);
    }
    const updated = await this.courses
      .findOneAndUpdate(
        { _id: id, ...visibleTo(actor) },
        {
          $set: {
            roster: checked.roster,
            roster_size: checked.roster.length,
            roster_updated_at: this.clock.now(),
          },
        },
        { new: true },
      )
      .exec();
    if (!updated) throw courseNotFound(id);
    return updated;
  }

  /**
   * What the gradebook and attendance are computed from: the course's meetings and roster, once
   * the actor is found to read every one of its meetings now (403 naming the first they cannot).
   */
  async recordsOf(actor: Actor, id: Types.ObjectId): Promise<CourseRecordsInput> {
    const course = await this.withRoster(actor, id);
    await this.requireReadable(actor, course.meeting_ids);
    return {
      meeting_ids: [...course.meeting_ids],
      roster: course.roster.map(({ name, email, student_id }) => ({ name, email, student_id })),
    };
  }

  /**
   * Erasure (docs/architecture.md §14): the person's line in every roster that names their email
   * (lower-cased in both), and the count of rosters it was in. Emails are unique in a roster, so
   * each course loses exactly one line.
   */
  async erasePerson(person: PersonIdentity): Promise<number> {
    const result = await this.courses
      .updateMany(
        { 'roster.email': person.email },
        { $pull: { roster: { email: person.email } }, $inc: { roster_size: -1 } },
      )
      .exec();
    return result.modifiedCount;
  }

  /**
   * The one meeting check of courses, as the send routes do it (MeetingAccessService.require):
   * 403 with the reason naming the meeting; Zoom's 404 for a meeting it does not know stays 404.
   * One at a time: each may ask Zoom who hosts the meeting, under the shared Zoom budget.
   */
  private async requireReadable(actor: Actor, meetingIds: string[]): Promise<void> {
    for (const meetingId of meetingIds) {
      await this.access.require(actor, meetingId, 'read');
    }
  }
}

/** Courses are owned like questions (ownedBy, src/common/auth/owner-filter.ts). */
function visibleTo(actor: Actor): FilterQuery<Course> {
  return ownedBy(actor);
}

/**
 * The 400 of a roster with bad lines: every problem in `details` (FileProblemDto, as the question
 * bank's import answers), the first few in the message; nothing was stored.
 */
function rosterRejected(problems: FileProblemDto[]): BadRequestException {
  const shown = problems
    .slice(0, 3)
    .map(
      (p) =>
        `${p.line !== undefined ? `line ${p.line}` : `index ${p.index}`}, ${p.field}: ${p.reason}`,
    )
    .join('; ');
  const more = problems.length > 3 ? `; and ${problems.length - 3} more in details` : '';
  return new BadRequestException({
    message: `Roster not stored: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} (${shown}${more})`,
    details: problems,
  });
}

function courseNotFound(id: Types.ObjectId): NotFoundException {
  return new NotFoundException(`Course ${id.toHexString()} not found`);
}

/** The ids in their first order, each once. */
function distinct(ids: string[]): string[] {
  return [...new Set(ids)];
}
