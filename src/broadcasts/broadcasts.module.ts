import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccessModule } from '../access/access.module';
import { ParticipantsModule } from '../participants/participants.module';
import { QuestionsModule } from '../questions/questions.module';
import { ZoomModule } from '../zoom/zoom.module';
import { BroadcastControlsReader } from './broadcast-controls.reader';
import { BroadcastsController } from './broadcasts.controller';
import { BroadcastsService } from './broadcasts.service';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryLookup } from './delivery-lookup.service';
import { DeliveryWorker } from './delivery-worker.service';
import { Broadcast, BroadcastSchema } from './schemas/broadcast.schema';
import { Delivery, DeliverySchema } from './schemas/delivery.schema';
import { OpenBroadcast, OpenBroadcastSchema } from './schemas/open-broadcast.schema';
import { OpenBroadcastsRepository } from './open-broadcasts.repository';
import { SentBroadcasts } from './sent-broadcasts.service';

/**
 * Sends: broadcasts, their delivery records and the durable sender. Other modules use
 * BroadcastsService (broadcasts, deliveries, reminders) and DeliveryLookup (answer token →
 * delivery), and the types in broadcast.types.ts; the schemas, repository, cache and worker
 * stay inside.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Broadcast.name, schema: BroadcastSchema },
      { name: Delivery.name, schema: DeliverySchema },
      { name: OpenBroadcast.name, schema: OpenBroadcastSchema },
    ]),
    QuestionsModule,
    ParticipantsModule,
    ZoomModule,
    AccessModule,
  ],
  controllers: [BroadcastsController],
  providers: [
    BroadcastsService,
    DeliveriesRepository,
    DeliveryWorker,
    DeliveryLookup,
    SentBroadcasts,
    OpenBroadcastsRepository,
    BroadcastControlsReader,
  ],
  exports: [BroadcastsService, DeliveryLookup],
})
export class BroadcastsModule {}
