import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccessModule } from '../access/access.module';
import { AnswersModule } from '../answers/answers.module';
import { AuditModule } from '../audit/audit.module';
import { BroadcastsModule } from '../broadcasts/broadcasts.module';
import { CoursesModule } from '../courses/courses.module';
import { ParticipantsModule } from '../participants/participants.module';
import { RunsModule } from '../runs/runs.module';
import { ErasureService } from './erasure.service';
import { JobLeasesRepository } from './job-leases.repository';
import { PeopleController } from './people.controller';
import { RetentionService } from './retention.service';
import { JobLease, JobLeaseSchema } from './schemas/job-lease.schema';

/**
 * Retention (DATA_RETENTION_DAYS, a background job under a MongoDB lease) and erasure
 * (DELETE /api/people/{email}). Owns only the job leases: every deletion is a method of the
 * module that owns the data.
 */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: JobLease.name, schema: JobLeaseSchema }]),
    AccessModule,
    ParticipantsModule,
    BroadcastsModule,
    AnswersModule,
    AuditModule,
    CoursesModule,
    RunsModule,
  ],
  controllers: [PeopleController],
  providers: [RetentionService, ErasureService, JobLeasesRepository],
  exports: [RetentionService],
})
export class PrivacyModule {}
