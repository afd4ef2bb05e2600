import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccessModule } from '../access/access.module';
import { ParticipantsModule } from '../participants/participants.module';
import { ResultsModule } from '../results/results.module';
import { CourseRecordsService } from './course-records.service';
import { CoursesController } from './courses.controller';
import { CoursesService } from './courses.service';
import { Course, CourseSchema } from './schemas/course.schema';

/**
 * Courses (issue 18): a title, its meetings and its roster, owned like questions; the gradebook
 * and attendance routes hand the course's meetings and roster to the results and participants
 * modules, which own the data and compute them. Owns `courses`.
 */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: Course.name, schema: CourseSchema }]),
    AccessModule,
    ResultsModule,
    ParticipantsModule,
  ],
  controllers: [CoursesController],
  providers: [CoursesService, CourseRecordsService],
  exports: [CoursesService],
})
export class CoursesModule {}
