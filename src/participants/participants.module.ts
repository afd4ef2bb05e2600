import { AttendanceService } from './attendance.service';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccessModule } from '../access/access.module';
import { ZoomModule } from '../zoom/zoom.module';
import { MeetingsController } from './meetings.controller';
import { OccurrencesRepository } from './occurrences.repository';
import { ParticipantsSyncService } from './participants-sync.service';
import { ParticipantsController } from './participants.controller';
import { ParticipantsRepository } from './participants.repository';
import { ParticipantsService } from './participants.service';
import { PresenceWriter } from './presence-writer';
import { MeetingOccurrence, MeetingOccurrenceSchema } from './schemas/meeting-occurrence.schema';
import { Participant, ParticipantSchema } from './schemas/participant.schema';

/** Who is in which meeting: records from webhooks (and sync), the participants API. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Participant.name, schema: ParticipantSchema },
      { name: MeetingOccurrence.name, schema: MeetingOccurrenceSchema },
    ]),
    ZoomModule,
    AccessModule,
  ],
  controllers: [ParticipantsController, MeetingsController],
  providers: [
    ParticipantsService,
    ParticipantsRepository,
    OccurrencesRepository,
    ParticipantsSyncService,
    PresenceWriter,
    AttendanceService,
  ],
  exports: [ParticipantsService, AttendanceService],
})
export class ParticipantsModule {}
