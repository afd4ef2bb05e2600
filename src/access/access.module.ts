import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { InstructorsModule } from '../instructors/instructors.module';
import { ZoomModule } from '../zoom/zoom.module';
import { MeetingAccessService } from './meeting-access.service';
import { MeetingGrantsController } from './meeting-grants.controller';
import { MeetingHostsService } from './meeting-hosts.service';
import { MeetingGrant, MeetingGrantSchema } from './schemas/meeting-grant.schema';
import { MeetingHost, MeetingHostSchema } from './schemas/meeting-host.schema';

/**
 * Meeting access: who hosts a meeting (asked of Zoom, remembered in `meeting_hosts`), the grants
 * its host or an admin gave (`meeting_grants`), and the one rule that turns them into a level.
 * Other modules use MeetingAccessService only.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: MeetingGrant.name, schema: MeetingGrantSchema },
      { name: MeetingHost.name, schema: MeetingHostSchema },
    ]),
    InstructorsModule,
    ZoomModule,
  ],
  controllers: [MeetingGrantsController],
  providers: [MeetingAccessService, MeetingHostsService],
  exports: [MeetingAccessService],
})
export class AccessModule {}
